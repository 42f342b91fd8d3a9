//! `cot(x)`: the cotangent of an angle in radians, 1/tan(x) (infinite at 0, as .NET divides).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, real_unary("kql_cot", |x| Some(1.0 / x.tan())))
}

pub(crate) static COT: KustoFunction = KustoFunction::scalar(
    Signature::scalar("cot", &[P::Num], R::Fixed(T::Real)).named(N::Generated),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::kernel::testing::real;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // Kusto docs (cot-function): print cot(1) gives 0.64209261593433065.
        assert_eq!(real(&udf(), &[Some(1.0)]), Some(0.642_092_615_934_330_7));
        assert_eq!(real(&udf(), &[Some(0.0)]), Some(f64::INFINITY));
        assert_eq!(real(&udf(), &[None]), None);
    }
}
