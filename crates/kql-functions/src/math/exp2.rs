//! `exp2(x)`: 2 raised to `x`.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, real_unary("kql_exp2", |x| Some(x.exp2())))
}

pub(crate) static EXP2: KustoFunction = KustoFunction::scalar(
    Signature::scalar("exp2", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
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
        assert_eq!(call(Some(3.0)), Some(8.0));
        assert_eq!(call(Some(-1.0)), Some(0.5));
        assert_eq!(call(None), None);
    }
}
