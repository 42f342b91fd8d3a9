//! `log(x)`: natural logarithm; null for negative input (Kusto docs: "null if the argument is negative").

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, real_unary("kql_log", |x| (x >= 0.0).then(|| x.ln())))
}

pub(crate) static LOG: KustoFunction = KustoFunction::scalar(
    Signature::scalar("log", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
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
        // print result=log(5) -> 1.6094379124341003
        assert_eq!(call(Some(5.0)), Some(1.6094379124341003));
        assert_eq!(call(Some(-1.0)), None);
        assert_eq!(call(Some(0.0)), Some(f64::NEG_INFINITY));
        assert_eq!(call(None), None);
    }
}
