//! `gamma(x)`: the gamma function, `(x-1)!` for positive integers.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, real_unary("kql_gamma", |x| Some(libm::tgamma(x))))
}

pub(crate) static GAMMA: KustoFunction = KustoFunction::scalar(
    Signature::scalar("gamma", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::kernel::testing::real;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // Emulator case gamma-function-00: gamma(5) == 24.
        assert_eq!(real(&udf(), &[Some(5.0)]), Some(24.0));
        assert_eq!(real(&udf(), &[None]), None);
    }
}
