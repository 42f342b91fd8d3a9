//! `erf(x)`: the error function.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, real_unary("kql_erf", |x| Some(libm::erf(x))))
}

pub(crate) static ERF: KustoFunction = KustoFunction::scalar(
    Signature::scalar("erf", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::kernel::testing::real;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // Emulator case erf-function-00: erf(x) for x in -3..3.
        let expected = [
            (-3.0, -0.9999779095030014),
            (-2.0, -0.9953222650189527),
            (-1.0, -0.8427007929497149),
            (0.0, 0.0),
            (1.0, 0.8427007929497149),
            (2.0, 0.9953222650189527),
            (3.0, 0.9999779095030014),
        ];
        for (x, erf_x) in expected {
            assert_eq!(real(&udf(), &[Some(x)]), Some(erf_x), "erf({x})");
        }
        assert_eq!(real(&udf(), &[None]), None);
    }
}
