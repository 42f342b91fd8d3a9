//! `array_rotate_left(array, count)` and `array_rotate_right(array, count)`: the elements move `count`
//! places, those pushed off one end coming back at the other; a negative count rotates the other way
//! (`array_rotate_left(dynamic([1,2,3,4,5]), 2)` is `[3,4,5,1,2]`). Null when not an array.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use serde_json::Value;

use super::json::arrays_at;
use crate::declare::*;
use crate::string::kernel::{Args, Param, Params, define, optional_string_rows};

const PARAMS: Params = Params::fixed(&[Param::Str, Param::Long]);

/// `kql_array_rotate_left(array: Utf8 (dynamic), count: Int64) -> Utf8 (dynamic)`.
pub fn array_rotate_left() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_array_rotate_left", PARAMS, DataType::Utf8, |args| {
            eval(args, true)
        })
    )
}

pub(crate) static ARRAY_ROTATE_LEFT: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "array_rotate_left",
        &[P::Dynamic, P::Integer],
        R::Fixed(T::Dynamic),
    ),
    array_rotate_left,
);

/// `kql_array_rotate_right(array: Utf8 (dynamic), count: Int64) -> Utf8 (dynamic)`.
pub fn array_rotate_right() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_array_rotate_right", PARAMS, DataType::Utf8, |args| {
            eval(args, false)
        })
    )
}

pub(crate) static ARRAY_ROTATE_RIGHT: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "array_rotate_right",
        &[P::Dynamic, P::Integer],
        R::Fixed(T::Dynamic),
    ),
    array_rotate_right,
);

fn eval(args: &Args, left: bool) -> Result<ColumnarValue> {
    let columns = [args.str(0)?];
    let counts = args.long(1)?;
    optional_string_rows(args, |row| {
        let (Some(mut arrays), Some(count)) = (arrays_at(&columns, row), counts.get(row)) else {
            return Ok(None);
        };
        let mut items = arrays.remove(0);
        if !items.is_empty() {
            let len = items.len() as i64;
            let by = count.rem_euclid(len) as usize;
            if left {
                items.rotate_left(by);
            } else {
                items.rotate_right(by);
            }
        }
        Ok(Some(Value::Array(items).to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // Emulator cases array-rotate-left-function-00/01 and the array_rotate_right doc page.
        let left = array_rotate_left();
        assert_eq!(
            call_scalars(&left, vec![s("[1,2,3,4,5]"), long(2)]),
            s("[3,4,5,1,2]")
        );
        assert_eq!(
            call_scalars(&left, vec![s("[1,2,3,4,5]"), long(-2)]),
            s("[4,5,1,2,3]")
        );
        let right = array_rotate_right();
        assert_eq!(
            call_scalars(&right, vec![s("[1,2,3,4,5]"), long(2)]),
            s("[4,5,1,2,3]")
        );
        assert_eq!(
            call_scalars(&right, vec![s("[1,2,3,4,5]"), long(-2)]),
            s("[3,4,5,1,2]")
        );
        assert_eq!(call_scalars(&right, vec![s("[]"), long(3)]), s("[]"));
    }
}
