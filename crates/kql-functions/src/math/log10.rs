//! `log10(x)`: base-10 logarithm; null for negative input, like `log()`.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        real_unary("kql_log10", |x| (x >= 0.0).then(|| x.log10()))
    )
}

pub(crate) static LOG10: KustoFunction = KustoFunction::scalar(
    Signature::scalar("log10", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
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
        // print result=log10(5) -> 0.6989700043360189
        assert_eq!(call(Some(5.0)), Some(0.6989700043360189));
        assert_eq!(call(Some(-5.0)), None);
        assert_eq!(call(None), None);
    }
}
