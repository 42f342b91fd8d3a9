//! `erfc(x)`: the complementary error function, `1 - erf(x)`, computed directly so large `x` keeps
//! its precision.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, real_unary("kql_erfc", |x| Some(libm::erfc(x))))
}

pub(crate) static ERFC: KustoFunction = KustoFunction::scalar(
    Signature::scalar("erfc", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::kernel::testing::real;
    use super::*;

    #[test]
    fn kusto_docs_example() {
        // erfc docs: range x from -3 to 3 | extend erf_x = erfc(x).
        let expected = [
            (-3.0, 1.9999779095030015),
            (-2.0, 1.9953222650189528),
            (-1.0, 1.842700792949715),
            (0.0, 1.0),
            (1.0, 0.15729920705028513),
            (2.0, 0.004677734981047265),
            (3.0, 2.209049699858544e-05),
        ];
        for (x, erfc_x) in expected {
            let got = real(&udf(), &[Some(x)]).expect("a value");
            assert!(
                (got - erfc_x).abs() <= 1e-15 * erfc_x.abs().max(1.0),
                "erfc({x}) = {got}"
            );
        }
        assert_eq!(real(&udf(), &[None]), None);
    }
}
