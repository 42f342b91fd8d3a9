//! `pow(base, exponent)`: `base` raised to `exponent`, as a real.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_binary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        real_binary("kql_pow", |base, exponent| Some(base.powf(exponent)))
    )
}

pub(crate) static POW: KustoFunction = KustoFunction::scalar(
    Signature::scalar("pow", &[P::Num, P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{ArrayRef, AsArray, Float64Array};
    use datafusion::arrow::datatypes::Float64Type;
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
