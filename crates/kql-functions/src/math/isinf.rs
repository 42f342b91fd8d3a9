//! `isinf(x)`: whether `x` is positive or negative infinity.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::float_class::predicate_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, predicate_udf("kql_isinf", f64::is_infinite))
}

pub(crate) static ISINF: KustoFunction =
    KustoFunction::scalar(Signature::scalar("isinf", &[P::Num], R::Fixed(T::Bool)), udf);

#[cfg(test)]
mod tests {
    use super::super::float_class::classify;
    use super::*;

    #[test]
    fn infinities_but_not_nan() {
        // range x from -1 to 1 step 1 | extend y = 0.0 | extend div = 1.0*x/y | extend isinf(div)
        // -> true (-Infinity), false (NaN), true (Infinity)
        let isinf = udf();
        assert_eq!(classify(&isinf, Some(f64::NEG_INFINITY)), Some(true));
        assert_eq!(classify(&isinf, Some(f64::NAN)), Some(false));
        assert_eq!(classify(&isinf, Some(f64::INFINITY)), Some(true));
        assert_eq!(classify(&isinf, None), None);
    }
}
