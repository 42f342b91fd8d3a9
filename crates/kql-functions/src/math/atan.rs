//! `atan(x)`: the arc tangent in radians.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, real_unary("kql_atan", |x| Some(x.atan())))
}

pub(crate) static ATAN: KustoFunction = KustoFunction::scalar(
    Signature::scalar("atan", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::kernel::testing::real;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // atan(0.5) is 0.4636476090008061 as a double; atan of +inf is pi/2.
        assert_eq!(real(&udf(), &[Some(0.5)]), Some(0.463_647_609_000_806_1));
        assert_eq!(
            real(&udf(), &[Some(f64::INFINITY)]),
            Some(std::f64::consts::FRAC_PI_2)
        );
        assert_eq!(real(&udf(), &[None]), None);
    }
}
