//! `log2(x)`: base-2 logarithm; null for negative input, like `log()`.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        real_unary("kql_log2", |x| (x >= 0.0).then(|| x.log2()))
    )
}

pub(crate) static LOG2: KustoFunction = KustoFunction::scalar(
    Signature::scalar("log2", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
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
        // print result=log2(5) -> 2.321928094887362
        assert_eq!(call(Some(5.0)), Some(2.321928094887362));
        assert_eq!(call(Some(-5.0)), None);
        assert_eq!(call(None), None);
    }
}
