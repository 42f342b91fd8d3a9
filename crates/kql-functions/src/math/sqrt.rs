//! `sqrt(x)`: square root; null for negative input (Kusto docs: "null if the argument is negative").

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        real_unary("kql_sqrt", |x| (x >= 0.0).then(|| x.sqrt()))
    )
}

pub(crate) static SQRT: KustoFunction = KustoFunction::scalar(
    Signature::scalar("sqrt", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
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
        assert_eq!(call(Some(16.0)), Some(4.0));
        assert_eq!(call(Some(-4.0)), None);
        assert_eq!(call(None), None);
    }
}
