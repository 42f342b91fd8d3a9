//! `beta_inv(probability, alpha, beta)`: the `x` with `beta_cdf(x, alpha, beta)` = `probability`.
//! Per the docs' example (and the emulator), a probability above 1 gives null and a non-positive
//! `alpha` or `beta` gives NaN. The docs' notes put `probability <= 0` with `probability > 1` (with
//! null and NaN swapped against the example), so a probability of 0 or below is null too, not x = 0.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::beta_distribution::{beta_udf, inverse};
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        beta_udf("kql_beta_inv", |_, p, a, b| {
            Ok(if !(p > 0.0 && p <= 1.0) {
                None
            } else if a > 0.0 && b > 0.0 {
                Some(inverse(p, a, b))
            } else {
                Some(f64::NAN)
            })
        })
    )
}

pub(crate) static BETA_INV: KustoFunction = KustoFunction::scalar(
    Signature::scalar("beta_inv", &[P::Num, P::Num, P::Num], R::Fixed(T::Real)),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::kernel::testing::real;
    use super::*;

    #[test]
    fn docs_examples() {
        // beta_inv(0.1, 10, 20) = 0.22641502238874897 (emulator); p = 1.5 gives null; alpha = -1 NaN.
        let value = real(&udf(), &[Some(0.1), Some(10.0), Some(20.0)]).expect("a value");
        assert!((value - 0.22641502238874897).abs() < 1e-14, "{value}");
        assert_eq!(real(&udf(), &[Some(1.5), Some(10.0), Some(20.0)]), None);
        assert!(real(&udf(), &[Some(0.1), Some(-1.0), Some(20.0)]).is_some_and(f64::is_nan));
        assert_eq!(real(&udf(), &[Some(0.0), Some(10.0), Some(20.0)]), None);
    }
}
