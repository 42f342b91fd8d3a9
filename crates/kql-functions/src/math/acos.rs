//! `acos(x)`: the arc cosine in radians; null outside [-1, 1] (Kusto docs: "Returns null if x < -1 or x > 1").

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        real_unary("kql_acos", |x| (-1.0..=1.0).contains(&x).then(|| x.acos()))
    )
}

pub(crate) static ACOS: KustoFunction = KustoFunction::scalar(
    Signature::scalar("acos", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::kernel::testing::real;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // acos(0.5) is pi/3, 1.0471975511965979 as a double.
        assert_eq!(real(&udf(), &[Some(0.5)]), Some(std::f64::consts::FRAC_PI_3));
        assert_eq!(real(&udf(), &[Some(-1.0)]), Some(std::f64::consts::PI));
        assert_eq!(real(&udf(), &[Some(2.0)]), None);
        assert_eq!(real(&udf(), &[None]), None);
    }
}
