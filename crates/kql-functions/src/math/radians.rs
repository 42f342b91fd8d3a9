//! `radians(degrees)`: an angle in degrees converted to radians.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, real_unary("kql_radians", |x| Some(x.to_radians())))
}

pub(crate) static RADIANS: KustoFunction = KustoFunction::scalar(
    Signature::scalar("radians", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use std::f64::consts::{FRAC_PI_2, PI, TAU};

    use super::super::kernel::testing::real;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // Emulator case radians-function-00: radians(90), radians(180), radians(360) give
        // 1.5707963267948966 (pi/2), 3.141592653589793 (pi) and 6.283185307179586 (2 pi).
        assert_eq!(real(&udf(), &[Some(90.0)]), Some(FRAC_PI_2));
        assert_eq!(real(&udf(), &[Some(180.0)]), Some(PI));
        assert_eq!(real(&udf(), &[Some(360.0)]), Some(TAU));
        assert_eq!(real(&udf(), &[None]), None);
    }
}
