//! `isfinite(x)`: whether `x` is neither infinite nor NaN.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::float_class::predicate_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, predicate_udf("kql_isfinite", f64::is_finite))
}

pub(crate) static ISFINITE: KustoFunction =
    KustoFunction::scalar(Signature::scalar("isfinite", &[P::Num], R::Fixed(T::Bool)), udf);

#[cfg(test)]
mod tests {
    use super::super::float_class::classify;
    use super::*;

    #[test]
    fn example_from_the_kusto_docs() {
        // range x from -1 to 1 step 1 | extend y = 0.0 | extend div = 1.0*x/y | extend isfinite=isfinite(div)
        // -> false (-Infinity), false (NaN), false (Infinity)
        let isfinite = udf();
        for value in [f64::NEG_INFINITY, f64::NAN, f64::INFINITY] {
            assert_eq!(classify(&isfinite, Some(value)), Some(false));
        }
        assert_eq!(classify(&isfinite, Some(1.5)), Some(true));
        assert_eq!(classify(&isfinite, None), None);
    }
}
