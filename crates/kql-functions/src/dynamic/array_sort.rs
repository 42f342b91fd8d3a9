//! `array_sort_asc(array [, nulls_last])` and `array_sort_desc(array [, nulls_last])`: the array
//! sorted, nulls last unless `nulls_last` is false
//! (`array_sort_asc(dynamic([null,"blue","yellow","green",null]))` is
//! `["blue","green","yellow",null,null]`). Numbers sort by value and strings ordinally; an array that
//! mixes element kinds, or holds bags or arrays, is refused (Kusto's cross-type order is not
//! reproduced yet). The multi-array form is refused: a second argument must be the `nulls_last` bool.

use std::cmp::Ordering;
use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use serde_json::Value;

use super::json::arrays_at;
use crate::declare::*;
use crate::string::kernel::{Args, Param, Params, define, optional_string_rows};

const PARAMS: Params = Params::optional(&[Param::Str], &[Param::Any]);

/// `kql_array_sort_asc(array: Utf8 (dynamic), nulls_last: Boolean?) -> Utf8 (dynamic)`.
pub fn array_sort_asc() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_array_sort_asc", PARAMS, DataType::Utf8, |args| {
            eval(args, false)
        })
    )
}

pub(crate) static ARRAY_SORT_ASC: KustoFunction = KustoFunction::scalar(
    // `nulls_last` is taken as is: the function refuses further arrays (one result column each), which
    // it does not implement, instead of reading them as a bool.
    Signature::scalar("array_sort_asc", &[P::Dynamic, P::Any], R::Fixed(T::Dynamic)).optional_from(1),
    array_sort_asc,
);

/// `kql_array_sort_desc(array: Utf8 (dynamic), nulls_last: Boolean?) -> Utf8 (dynamic)`.
pub fn array_sort_desc() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_array_sort_desc", PARAMS, DataType::Utf8, |args| {
            eval(args, true)
        })
    )
}

pub(crate) static ARRAY_SORT_DESC: KustoFunction = KustoFunction::scalar(
    Signature::scalar("array_sort_desc", &[P::Dynamic, P::Any], R::Fixed(T::Dynamic)).optional_from(1),
    array_sort_desc,
);

fn eval(args: &Args, descending: bool) -> Result<ColumnarValue> {
    let columns = [args.str(0)?];
    let nulls_last = if args.has(1) { Some(args.any(1)?) } else { None };
    let nulls_last = match &nulls_last {
        None => None,
        Some(array) => match array.as_boolean_opt() {
            Some(flags) => Some(flags),
            None if array.data_type() == &DataType::Null => None,
            None => return exec_err!("not supported yet: {} of several arrays", args.name()),
        },
    };
    optional_string_rows(args, |row| {
        let Some(mut arrays) = arrays_at(&columns, row) else {
            return Ok(None);
        };
        let (mut values, nulls): (Vec<Value>, Vec<Value>) =
            arrays.remove(0).into_iter().partition(|v| !v.is_null());
        sort(&mut values, args.name())?;
        if descending {
            values.reverse();
        }
        let last = nulls_last.is_none_or(|flags| !flags.is_valid(row) || flags.value(row));
        let sorted = if last {
            values.into_iter().chain(nulls).collect()
        } else {
            nulls.into_iter().chain(values).collect()
        };
        Ok(Some(Value::Array(sorted).to_string()))
    })
}

/// Sorts non-null values that are all numbers or all strings.
fn sort(values: &mut [Value], name: &str) -> Result<()> {
    if values.iter().all(Value::is_number) {
        let key = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
        values.sort_by(|a, b| key(a).partial_cmp(&key(b)).unwrap_or(Ordering::Equal));
    } else if values.iter().all(Value::is_string) {
        values.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    } else {
        return exec_err!("not supported yet: {name} of an array mixing element types, or of bags or arrays");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call, call_scalars, s};

    const COLORS: &str = r#"[null,"blue","yellow","green",null]"#;

    #[test]
    fn docs_examples() {
        // Emulator cases array-sort-asc-function-03/04 and the array_sort_desc doc page.
        let no = ScalarValue::Boolean(Some(false));
        assert_eq!(
            call_scalars(&array_sort_asc(), vec![s(COLORS)]),
            s(r#"["blue","green","yellow",null,null]"#)
        );
        assert_eq!(
            call_scalars(&array_sort_asc(), vec![s(COLORS), no.clone()]),
            s(r#"[null,null,"blue","green","yellow"]"#)
        );
        assert_eq!(
            call_scalars(&array_sort_desc(), vec![s(COLORS)]),
            s(r#"["yellow","green","blue",null,null]"#)
        );
        assert_eq!(
            call_scalars(&array_sort_desc(), vec![s(COLORS), no]),
            s(r#"[null,null,"yellow","green","blue"]"#)
        );
        assert_eq!(
            call_scalars(&array_sort_asc(), vec![s("[1,3,4,5,2]")]),
            s("[1,2,3,4,5]")
        );
        assert_eq!(
            call_scalars(&array_sort_desc(), vec![s("[1,3,4,5,2]")]),
            s("[5,4,3,2,1]")
        );
    }

    #[test]
    fn mixed_element_types_are_refused() {
        let args = vec![ColumnarValue::Scalar(s(r#"[1,"a"]"#))];
        assert!(call(&array_sort_asc(), args).is_err());
    }

    #[test]
    fn several_arrays_are_refused() {
        // array_sort_asc(array1, array2) sorts array2 along, giving two columns: not implemented.
        let args = vec![
            ColumnarValue::Scalar(s("[1,3,2]")),
            ColumnarValue::Scalar(s(r#"["a","b","c"]"#)),
        ];
        assert!(call(&array_sort_asc(), args).is_err());
    }
}
