//! `degrees(radians)`: an angle in radians converted to degrees.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, real_unary("kql_degrees", |x| Some(x.to_degrees())))
}

pub(crate) static DEGREES: KustoFunction = KustoFunction::scalar(
    Signature::scalar("degrees", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::kernel::testing::real;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // Kusto docs: degrees(pi()/4) == 45, degrees(pi()) == 180.
        assert_eq!(real(&udf(), &[Some(std::f64::consts::FRAC_PI_4)]), Some(45.0));
        assert_eq!(real(&udf(), &[Some(std::f64::consts::PI)]), Some(180.0));
        assert_eq!(real(&udf(), &[None]), None);
    }
}
