//! `beta_cdf(x, alpha, beta)`: the beta cumulative distribution function; NaN when `x` is outside
//! [0, 1] (docs). For `alpha` or `beta` outside (0, 10000] the docs say NaN but Kusto answers
//! otherwise (the emulator gives 1.0 for alpha -1), so such calls are refused rather than guessed.

use std::sync::Arc;

use datafusion::common::exec_err;
use datafusion::logical_expr::ScalarUDF;

use super::beta_distribution::{beta_udf, cumulative};
use crate::declare::*;

/// The shape parameters Kusto's docs accept.
const MAX_SHAPE: f64 = 10_000.0;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        beta_udf("kql_beta_cdf", |name, x, a, b| {
            let valid_shape = |s: f64| s > 0.0 && s <= MAX_SHAPE;
            if !(valid_shape(a) && valid_shape(b)) {
                return exec_err!(
                    "not supported yet: {name}() with alpha or beta outside (0, {MAX_SHAPE}] (got {a}, {b})"
                );
            }
            Ok(Some(if (0.0..=1.0).contains(&x) {
                cumulative(x, a, b)
            } else {
                f64::NAN
            }))
        })
    )
}

pub(crate) static BETA_CDF: KustoFunction = KustoFunction::scalar(
    // x (or probability), alpha, beta.
    Signature::scalar("beta_cdf", &[P::Num, P::Num, P::Num], R::Fixed(T::Real)),
    udf,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::super::kernel::testing::{invoke, real};
    use super::*;

    #[test]
    fn docs_examples() {
        // beta_cdf(0.9, 10, 20) = 0.9999999999999593 (emulator); x = 1.5 or -10 gives NaN.
        let value = real(&udf(), &[Some(0.9), Some(10.0), Some(20.0)]).expect("a value");
        assert!((value - 0.9999999999999593).abs() < 1e-15, "{value}");
        for x in [1.5, -10.0] {
            assert!(real(&udf(), &[Some(x), Some(10.0), Some(20.0)]).is_some_and(f64::is_nan));
        }
        assert_eq!(real(&udf(), &[None, Some(10.0), Some(20.0)]), None);
    }

    #[test]
    fn shapes_outside_the_documented_range_are_refused() {
        let args = [0.1, -1.0, 20.0].map(|v| ColumnarValue::Scalar(ScalarValue::Float64(Some(v))));
        let error = invoke(&udf(), args.to_vec()).unwrap_err();
        assert!(error.to_string().contains("alpha or beta outside"), "{error}");
    }
}
