//! `pi()`: the constant π.

use std::sync::Arc;

use datafusion::common::ScalarValue;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::KernelUdf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        KernelUdf::nullary("kql_pi", ScalarValue::Float64(Some(std::f64::consts::PI))).into_udf()
    )
}

pub(crate) static PI: KustoFunction =
    KustoFunction::scalar(Signature::scalar("pi", &[], R::Fixed(T::Real)), udf);

#[cfg(test)]
mod tests {
    use super::super::kernel::testing;
    use super::*;

    #[test]
    fn pi_is_pi() {
        assert_eq!(
            testing::scalar(&udf(), vec![]),
            ScalarValue::Float64(Some(std::f64::consts::PI))
        );
    }
}
