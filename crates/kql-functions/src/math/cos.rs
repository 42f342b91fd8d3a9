//! `cos(x)`: the cosine of an angle in radians.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, real_unary("kql_cos", |x| Some(x.cos())))
}

pub(crate) static COS: KustoFunction = KustoFunction::scalar(
    Signature::scalar("cos", &[P::Num], R::Fixed(T::Real)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::kernel::testing::real;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // Kusto docs (cos-function): print cos(1) gives 0.54030230586813977 (17 digits of the double).
        assert_eq!(real(&udf(), &[Some(1.0)]), Some(0.540_302_305_868_139_8));
        assert_eq!(real(&udf(), &[Some(0.0)]), Some(1.0));
        assert_eq!(real(&udf(), &[None]), None);
    }
}
