//! `isnan(x)`: whether `x` is NaN.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::float_class::predicate_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, predicate_udf("kql_isnan", f64::is_nan))
}

pub(crate) static ISNAN: KustoFunction =
    KustoFunction::scalar(Signature::scalar("isnan", &[P::Num], R::Fixed(T::Bool)), udf);

#[cfg(test)]
mod tests {
    use super::super::float_class::classify;
    use super::*;

    #[test]
    fn examples_from_the_kusto_docs() {
        // isnan(double(nan)) == true, isnan(4.2) == false, isnan(4) == false, isnan(real(+inf)) == false
        let isnan = udf();
        assert_eq!(classify(&isnan, Some(f64::NAN)), Some(true));
        assert_eq!(classify(&isnan, Some(4.2)), Some(false));
        assert_eq!(classify(&isnan, Some(f64::INFINITY)), Some(false));
        assert_eq!(classify(&isnan, None), None);
    }
}
