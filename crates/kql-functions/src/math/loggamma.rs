//! `loggamma(x)`: the natural logarithm of the absolute value of the gamma function.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, real_unary("kql_loggamma", |x| Some(libm::lgamma(x))))
}

pub(crate) static LOGGAMMA: KustoFunction = KustoFunction::scalar(
    Signature::scalar("loggamma", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::kernel::testing::real;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // Emulator case loggamma-function-00: loggamma(5) == ln(24).
        assert_eq!(real(&udf(), &[Some(5.0)]), Some(3.1780538303479458));
        assert_eq!(real(&udf(), &[None]), None);
    }
}
