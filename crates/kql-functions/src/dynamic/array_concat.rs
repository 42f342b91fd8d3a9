//! `array_concat(a1, a2, ...)`: the arrays joined; null when an argument is not an array
//! (`array_concat(pack_array("sunny"), [...])` in the geohash docs example).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::json::arrays_at;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_array_concat(array: Utf8 (dynamic), ...) -> Utf8 (dynamic)`.
pub fn array_concat() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_array_concat",
            Params::variadic(&[Param::Str], Param::Str),
            DataType::Utf8,
            |args| {
                let columns = (0..args.len()).map(|i| args.str(i)).collect::<Result<Vec<_>>>()?;
                optional_string_rows(args, |row| {
                    Ok(arrays_at(&columns, row).map(|arrays| Value::Array(arrays.concat()).to_string()))
                })
            },
        )
    )
}

pub(crate) static ARRAY_CONCAT: KustoFunction = KustoFunction::scalar(
    Signature::scalar("array_concat", &[P::Dynamic], R::Fixed(T::Dynamic)).variadic(),
    array_concat,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // array_concat(dynamic([1,2,3]), dynamic([4,5]), dynamic([6])) == [1,2,3,4,5,6]
        assert_eq!(
            call_scalars(&array_concat(), vec![s("[1,2,3]"), s("[4,5]"), s("[6]")]),
            s("[1,2,3,4,5,6]")
        );
        assert_eq!(
            call_scalars(&array_concat(), vec![s("[1]"), s("2")]),
            ScalarValue::Utf8(None)
        );
    }
}
