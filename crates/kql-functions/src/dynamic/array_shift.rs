//! `array_shift_left(array, count [, fill])` and `array_shift_right(array, count [, fill])`: the
//! elements move `count` places (a negative count moves them the other way) and the vacated places get
//! `fill` (`array_shift_right(dynamic([1,2,3,4,5]), 2, -1)` is `[-1,-1,1,2,3]`). The docs: the default
//! "is null or an empty string depending on the type of elements", so "" for an array of strings and
//! null for one without strings; for an array mixing strings and other values the docs do not say
//! which, so shifting one without a fill is refused. Null when the first argument is not an array.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use serde_json::Value;

use super::json::{arrays_at, parse};
use crate::declare::*;
use crate::string::kernel::{Args, Param, Params, define, optional_string_rows};

const PARAMS: Params = Params::optional(&[Param::Str, Param::Long], &[Param::Str]);

/// `kql_array_shift_left(array: Utf8 (dynamic), count: Int64, fill: Utf8 (dynamic)?) -> Utf8 (dynamic)`.
pub fn array_shift_left() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_array_shift_left", PARAMS, DataType::Utf8, |args| {
            eval(args, 1)
        })
    )
}

pub(crate) static ARRAY_SHIFT_LEFT: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "array_shift_left",
        &[P::Dynamic, P::Integer, P::Dynamic],
        R::Fixed(T::Dynamic),
    )
    .optional_from(2),
    array_shift_left,
);

/// `kql_array_shift_right(array: Utf8 (dynamic), count: Int64, fill: Utf8 (dynamic)?) -> Utf8 (dynamic)`.
pub fn array_shift_right() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_array_shift_right", PARAMS, DataType::Utf8, |args| {
            eval(args, -1)
        })
    )
}

pub(crate) static ARRAY_SHIFT_RIGHT: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "array_shift_right",
        &[P::Dynamic, P::Integer, P::Dynamic],
        R::Fixed(T::Dynamic),
    )
    .optional_from(2),
    array_shift_right,
);

/// `direction` is 1 for a left shift, -1 for a right one.
fn eval(args: &Args, direction: i64) -> Result<ColumnarValue> {
    let columns = [args.str(0)?];
    let counts = args.long(1)?;
    let fills = if args.has(2) { Some(args.str(2)?) } else { None };
    optional_string_rows(args, |row| {
        let (Some(mut arrays), Some(count)) = (arrays_at(&columns, row), counts.get(row)) else {
            return Ok(None);
        };
        let items = arrays.remove(0);
        let fill = match fills.as_ref() {
            Some(fills) => fills.get_opt(row).map_or(Value::Null, parse),
            None => default_fill(args.name(), &items, count)?,
        };
        // Element `i` of the result is element `i + offset` of the input, or `fill` outside it.
        let offset = count.saturating_mul(direction);
        let shifted = (0..items.len() as i64)
            .map(|i| {
                i.checked_add(offset)
                    .and_then(|source| usize::try_from(source).ok())
                    .and_then(|source| items.get(source))
                    .cloned()
                    .unwrap_or_else(|| fill.clone())
            })
            .collect();
        Ok(Some(Value::Array(shifted).to_string()))
    })
}

/// The fill when none is given: "" for strings, null for other elements (see the module's comment).
fn default_fill(name: &str, items: &[Value], count: i64) -> Result<Value> {
    let strings = items.iter().filter(|item| item.is_string()).count();
    match strings {
        0 => Ok(Value::Null),
        all if all == items.len() => Ok(Value::String(String::new())),
        // Nothing is vacated, so no fill is needed.
        _ if count == 0 => Ok(Value::Null),
        _ => exec_err!(
            "not supported yet: {name} without default_value of an array mixing strings and other \
             values: the docs make the default null or an empty string depending on the type of the \
             elements, without saying which for a mix; pass default_value"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call, call_scalars, long, s};

    #[test]
    fn the_default_fill_is_empty_text_for_strings() {
        let right = array_shift_right();
        assert_eq!(
            call_scalars(&right, vec![s(r#"["a","b","c"]"#), long(1)]),
            s(r#"["","a","b"]"#)
        );
        assert_eq!(
            call_scalars(&right, vec![s(r#"["a","b"]"#), long(1), s("null")]),
            s(r#"[null,"a"]"#)
        );
        let mixed = vec![
            ColumnarValue::Scalar(s(r#"["a",1]"#)),
            ColumnarValue::Scalar(long(1)),
        ];
        let error = call(&right, mixed).unwrap_err();
        assert!(error.to_string().contains("default_value"), "{error}");
    }

    #[test]
    fn docs_examples() {
        // Emulator cases array-shift-right-function-00..02 and the array_shift_left doc page.
        let right = array_shift_right();
        assert_eq!(
            call_scalars(&right, vec![s("[1,2,3,4,5]"), long(2)]),
            s("[null,null,1,2,3]")
        );
        assert_eq!(
            call_scalars(&right, vec![s("[1,2,3,4,5]"), long(2), s("-1")]),
            s("[-1,-1,1,2,3]")
        );
        assert_eq!(
            call_scalars(&right, vec![s("[1,2,3,4,5]"), long(-2), s("-1")]),
            s("[3,4,5,-1,-1]")
        );
        let left = array_shift_left();
        assert_eq!(
            call_scalars(&left, vec![s("[1,2,3,4,5]"), long(2)]),
            s("[3,4,5,null,null]")
        );
        assert_eq!(
            call_scalars(&left, vec![s("[1,2,3,4,5]"), long(-2), s("-1")]),
            s("[-1,-1,1,2,3]")
        );
        assert_eq!(
            call_scalars(&left, vec![s("[1,2]"), long(i64::MIN)]),
            s("[null,null]")
        );
    }
}
