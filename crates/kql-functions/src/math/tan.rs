//! `tan(x)`: the tangent of an angle in radians.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, real_unary("kql_tan", |x| Some(x.tan())))
}

pub(crate) static TAN: KustoFunction = KustoFunction::scalar(
    Signature::scalar("tan", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::kernel::testing::real;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // tan(1) is 1.5574077246549023 (the double nearest; Microsoft's Number.Tan(1) docs show the same).
        assert_eq!(real(&udf(), &[Some(1.0)]), Some(1.557_407_724_654_902_3));
        assert_eq!(real(&udf(), &[Some(0.0)]), Some(0.0));
        assert_eq!(real(&udf(), &[None]), None);
    }
}
