//! `atan2(y, x)`: the angle in radians between the positive x-axis and the ray to `(x, y)`.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_binary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, real_binary("kql_atan2", |y, x| Some(y.atan2(x))))
}

pub(crate) static ATAN2: KustoFunction = KustoFunction::scalar(
    Signature::scalar("atan2", &[P::Num, P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};

    use super::super::kernel::testing::real;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // Emulator case atan2-function-00: atan2(1,1), atan2(0,-1), atan2(-1,0) give
        // 0.7853981633974483 (pi/4), 3.141592653589793 (pi) and -1.5707963267948966 (-pi/2).
        let atan2 = udf();
        assert_eq!(real(&atan2, &[Some(1.0), Some(1.0)]), Some(FRAC_PI_4));
        assert_eq!(real(&atan2, &[Some(0.0), Some(-1.0)]), Some(PI));
        assert_eq!(real(&atan2, &[Some(-1.0), Some(0.0)]), Some(-FRAC_PI_2));
        assert_eq!(real(&atan2, &[None, Some(1.0)]), None);
    }
}
