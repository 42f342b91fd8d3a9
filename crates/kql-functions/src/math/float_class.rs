//! Shared body of `isnan`, `isinf` and `isfinite`: a predicate on reals, null for null input.

use std::sync::Arc;

use datafusion::arrow::array::{AsArray, BooleanArray};
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{KernelUdf, coerce_all_to_real};

pub(super) fn predicate_udf(name: &'static str, predicate: fn(f64) -> bool) -> Arc<ScalarUDF> {
    KernelUdf::new(
        name,
        move |types| coerce_all_to_real(name, types, 1),
        |_| Ok(DataType::Boolean),
        move |args| {
            let values = args[0].as_primitive::<Float64Type>();
            let out: BooleanArray = values.iter().map(|v| v.map(predicate)).collect();
            Ok(Arc::new(out))
        },
    )
    .into_udf()
}

#[cfg(test)]
pub(super) fn classify(udf: &datafusion::logical_expr::ScalarUDF, value: Option<f64>) -> Option<bool> {
    use datafusion::common::ScalarValue;
    match super::kernel::testing::scalar(udf, vec![ScalarValue::Float64(value)]) {
        ScalarValue::Boolean(b) => b,
        other => panic!("unexpected {other:?}"),
    }
}
