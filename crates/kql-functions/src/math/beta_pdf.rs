//! `beta_pdf(x, alpha, beta)`: the beta probability density; NaN when `x` is outside (0, 1) or
//! `alpha` or `beta` is not positive (docs).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::beta_distribution::{beta_udf, density};
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        beta_udf("kql_beta_pdf", |_, x, a, b| {
            let in_domain = x > 0.0 && x < 1.0 && a > 0.0 && b > 0.0;
            Ok(Some(if in_domain { density(x, a, b) } else { f64::NAN }))
        })
    )
}

pub(crate) static BETA_PDF: KustoFunction = KustoFunction::scalar(
    Signature::scalar("beta_pdf", &[P::Num, P::Num, P::Num], R::Fixed(T::Real)),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::kernel::testing::real;
    use super::*;

    #[test]
    fn docs_examples() {
        // beta_pdf(0.5, 10, 20) = 0.746176019310951; x = 1.5, x = -10 and alpha = -1 give NaN.
        let value = real(&udf(), &[Some(0.5), Some(10.0), Some(20.0)]).expect("a value");
        assert!((value - 0.746176019310951).abs() < 1e-13, "{value}");
        for args in [[1.5, 10.0, 20.0], [-10.0, 10.0, 20.0], [0.1, -1.0, 20.0]] {
            let args = args.map(Some);
            assert!(real(&udf(), &args).is_some_and(f64::is_nan), "{args:?}");
        }
    }
}
