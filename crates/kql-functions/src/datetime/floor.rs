//! `floor(value, roundTo)`: Kusto's alias of `bin()` (not a one-argument floor).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::binning::bin_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, bin_udf("kql_floor"))
}

pub(crate) static FLOOR: KustoFunction = KustoFunction::scalar(
    Signature::scalar("floor", &[P::Binnable, P::Binnable], R::Promoted).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::super::kernel_testing::scalar;
    use super::*;

    #[test]
    fn floor_is_bin() {
        // floor(-7, 5) is -10, the bin() answer.
        let out = scalar(
            &udf(),
            vec![ScalarValue::Int64(Some(-7)), ScalarValue::Int64(Some(5))],
        );
        assert_eq!(out, ScalarValue::Int64(Some(-10)));
    }
}
