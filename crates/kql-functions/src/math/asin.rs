//! `asin(x)`: the arc sine in radians; null outside [-1, 1] (Kusto docs: "Returns null if x < -1 or x > 1").

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        real_unary("kql_asin", |x| (-1.0..=1.0).contains(&x).then(|| x.asin()))
    )
}

pub(crate) static ASIN: KustoFunction = KustoFunction::scalar(
    Signature::scalar("asin", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::kernel::testing::real;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // The docs page prints 1.2532358975033751 for asin(0.5), which is not the arc sine of 0.5
        // (that is pi/6; 1.2533 is no function of 0.5 Kusto documents): torhunt keeps .NET Math.Asin.
        let arc = real(&udf(), &[Some(0.5)]).unwrap();
        assert!((arc - std::f64::consts::FRAC_PI_6).abs() < 1e-15, "{arc}");
        assert_eq!(real(&udf(), &[Some(1.0)]), Some(std::f64::consts::FRAC_PI_2));
        assert_eq!(real(&udf(), &[Some(1.5)]), None);
        assert_eq!(real(&udf(), &[Some(-1.000_001)]), None);
        assert_eq!(real(&udf(), &[None]), None);
    }
}
