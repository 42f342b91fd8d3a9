//! `exp10(x)`: 10 raised to `x`.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, real_unary("kql_exp10", |x| Some(10f64.powf(x))))
}

pub(crate) static EXP10: KustoFunction = KustoFunction::scalar(
    Signature::scalar("exp10", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
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
        assert_eq!(call(Some(3.0)), Some(1000.0));
        assert_eq!(call(Some(-1.0)), Some(0.1));
        assert_eq!(call(None), None);
    }
}
