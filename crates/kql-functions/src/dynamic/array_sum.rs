//! `array_sum(array)`: the sum of the elements as a `real`; null when not an array or when an element
//! is not a number (`array_sum(dynamic([1,2,3,4]))` is `10.0`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::json::arrays_at;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, double_rows};

/// `kql_array_sum(array: Utf8 (dynamic)) -> Float64`.
pub fn array_sum() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_array_sum",
            Params::fixed(&[Param::Str]),
            DataType::Float64,
            |args| {
                let columns = [args.str(0)?];
                double_rows(args, |row| {
                    let Some(arrays) = arrays_at(&columns, row) else {
                        return Ok(None);
                    };
                    Ok(arrays[0].iter().map(Value::as_f64).sum::<Option<f64>>())
                })
            },
        )
    )
}

pub(crate) static ARRAY_SUM: KustoFunction = KustoFunction::scalar(
    Signature::scalar("array_sum", &[P::Dynamic], R::Fixed(T::Real)),
    array_sum,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // Emulator case array-sum-function-00.
        assert_eq!(
            call_scalars(&array_sum(), vec![s("[1,2,3,4]")]),
            ScalarValue::Float64(Some(10.0))
        );
        assert_eq!(
            call_scalars(&array_sum(), vec![s(r#"[1,"a"]"#)]),
            ScalarValue::Float64(None)
        );
        assert_eq!(
            call_scalars(&array_sum(), vec![s("3")]),
            ScalarValue::Float64(None)
        );
    }
}
