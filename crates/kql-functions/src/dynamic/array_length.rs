//! `array_length(d)`: the number of elements of a dynamic array; null for anything else
//! (`array_length(dynamic([1, 2, 3, "four"]))` is 4).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::json;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, long_rows};

/// `kql_array_length(d: Utf8 (dynamic)) -> Int64`.
pub fn array_length() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_array_length",
            Params::fixed(&[Param::Str]),
            DataType::Int64,
            |args| {
                let dynamic = args.str(0)?;
                long_rows(args, |row| {
                    Ok(match dynamic.get_opt(row).map(json::parse) {
                        Some(Value::Array(items)) => Some(items.len() as i64),
                        _ => None,
                    })
                })
            },
        )
    )
}

pub(crate) static ARRAY_LENGTH: KustoFunction = KustoFunction::scalar(
    Signature::scalar("array_length", &[P::Dynamic], R::Fixed(T::Long)).aliases(&["arraylength"]),
    array_length,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // Emulator case array-length-function-00: array_length(dynamic([1, 2, 3, "four"])) == 4.
        assert_eq!(
            call_scalars(&array_length(), vec![s(r#"[1, 2, 3, "four"]"#)]),
            long(4)
        );
        assert_eq!(
            call_scalars(&array_length(), vec![s(r#"{"a":1}"#)]),
            ScalarValue::Int64(None)
        );
        assert_eq!(
            call_scalars(&array_length(), vec![ScalarValue::Utf8(None)]),
            ScalarValue::Int64(None)
        );
    }
}
