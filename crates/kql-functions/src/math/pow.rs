//! `pow(base, exponent)`: `base` raised to `exponent`, as a real.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::datatypes::Float64Type;
use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{KernelUdf, coerce_all_to_real, map_binary};

const NAME: &str = "kql_pow";

pub fn udf() -> Arc<ScalarUDF> {
    KernelUdf::new(
        NAME,
        |types| coerce_all_to_real(NAME, types, 2),
        |_| Ok(DataType::Float64),
        kernel,
    )
    .into_udf()
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    let (base, exponent) = (
        args[0].as_primitive::<Float64Type>(),
        args[1].as_primitive::<Float64Type>(),
    );
    Ok(Arc::new(map_binary::<Float64Type, Float64Type, Float64Type>(
        base,
        exponent,
        |b, e| Some(b.powf(e)),
    )))
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::Float64Array;
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::super::kernel::testing;
    use super::*;

    #[test]
    fn powers_with_scalar_and_array_arguments() {
        let two_cubed = testing::scalar(
            &udf(),
            vec![ScalarValue::Float64(Some(2.0)), ScalarValue::Float64(Some(3.0))],
        );
        assert_eq!(two_cubed, ScalarValue::Float64(Some(8.0)));
        let bases: ArrayRef = Arc::new(Float64Array::from(vec![Some(3.0), None, Some(4.0)]));
        let args = vec![
            ColumnarValue::Array(bases),
            ColumnarValue::Scalar(ScalarValue::Float64(Some(0.5))),
        ];
        let out = testing::array(&udf(), args);
        assert_eq!(
            out.as_primitive::<Float64Type>(),
            &Float64Array::from(vec![Some(3f64.sqrt()), None, Some(2.0)])
        );
    }
}
