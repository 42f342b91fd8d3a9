//! `sin(x)`: the sine of an angle in radians.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, real_unary("kql_sin", |x| Some(x.sin())))
}

pub(crate) static SIN: KustoFunction = KustoFunction::scalar(
    Signature::scalar("sin", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::kernel::testing::real;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // Kusto docs (sin-function): print sin(1) gives 0.841470984807897.
        let sine = real(&udf(), &[Some(1.0)]).unwrap();
        assert!((sine - 0.841470984807897).abs() < 1e-15, "{sine}");
        assert_eq!(real(&udf(), &[Some(0.0)]), Some(0.0));
        assert_eq!(real(&udf(), &[None]), None);
    }
}
