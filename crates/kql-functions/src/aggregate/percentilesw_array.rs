//! `percentilesw_array(x, weight, p1, p2, ...)` or `percentilesw_array(x, weight, dynamic([p1, ...]))`:
//! the weighted nearest-rank percentiles of `percentilesw` as one dynamic array (the percentilesw
//! page, "Return percentiles as an array"); weights as for `percentilew`.

use std::sync::Arc;

use datafusion::logical_expr::AggregateUDF;

use super::nearest_rank::{NearestRankUdaf, Output, Weighting};
use crate::declare::*;

pub fn udaf() -> Arc<AggregateUDF> {
    crate::singleton!(
        AggregateUDF,
        NearestRankUdaf::udaf("kql_percentilesw_array", Output::Array, Weighting::Weighted)
    )
}

// Kusto.Language names an unnamed call `percentiles_X`, as for `percentiles_array`.
pub(crate) static PERCENTILESW_ARRAY: KustoFunction = KustoFunction::aggregate(
    Signature::aggregate(
        "percentilesw_array",
        &[P::Num, P::Integer, P::Any],
        R::Fixed(T::Dynamic),
    )
    .variadic()
    .named(N::Prefixed("percentiles")),
    udaf,
);

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{ArrayRef, Int64Array};
    use datafusion::common::ScalarValue;
    use datafusion::prelude::{col, lit};

    use super::super::support::testing::{only, query};
    use super::*;

    fn latency_buckets() -> Vec<Vec<(ArrayRef, ArrayRef)>> {
        // Buckets as `x`, their counts as the weights in the harness's second column, `g`.
        let buckets: ArrayRef = Arc::new(Int64Array::from(vec![30, 10, 40, 20]));
        let counts: ArrayRef = Arc::new(Int64Array::from(vec![3, 8, 1, 6]));
        vec![vec![(buckets, counts)]]
    }

    #[tokio::test]
    async fn docs_examples_as_arguments_and_as_a_dynamic_array() {
        // percentilesw docs: percentilesw_array(LatencyBucket, ReqCount, 50, 75, 99.9) -> [20, 20, 40],
        // and the same with dynamic([50, 75, 99.9]).
        let listed = udaf().call(vec![col("x"), col("g"), lit(50i64), lit(75i64), lit(99.9)]);
        let batch = query(latency_buckets(), vec![], vec![listed]).await;
        assert_eq!(only(&batch, 0), ScalarValue::from("[20,20,40]"));
        let array = udaf().call(vec![col("x"), col("g"), lit("[50, 75, 99.9]")]);
        let batch = query(latency_buckets(), vec![], vec![array]).await;
        assert_eq!(only(&batch, 0), ScalarValue::from("[20,20,40]"));
    }
}
