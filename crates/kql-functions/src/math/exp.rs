//! `exp(x)`: e raised to `x`.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, real_unary("kql_exp", |x| Some(x.exp())))
}

pub(crate) static EXP: KustoFunction = KustoFunction::scalar(
    Signature::scalar("exp", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::kernel::testing;
    use super::*;

    fn call(x: Option<f64>) -> Option<f64> {
        testing::real(&udf(), &[x])
    }

    #[test]
    fn kusto_examples_and_nulls() {
        // exp(1) is e
        assert_eq!(call(Some(1.0)), Some(std::f64::consts::E));
        assert_eq!(call(Some(0.0)), Some(1.0));
        assert_eq!(call(None), None);
    }
}
