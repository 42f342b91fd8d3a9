//! `percentilew(x, weight, p)` and, by the binder, each column of `percentilesw(x, weight, p1, p2,
//! ...)`: the nearest-rank `p`-th percentile of `x` with each value counted `weight` times (the
//! percentilesw page), typed like `x` (see `nearest_rank`). The weight is a whole number (Kusto.Language
//! rejects a real one); a row of weight 0 counts zero times; a null or negative weight, which the docs
//! leave undefined, stops the query with an error.

use std::sync::Arc;

use datafusion::logical_expr::AggregateUDF;

use super::nearest_rank::{NearestRankUdaf, Output, Weighting};
use crate::declare::*;

pub fn udaf() -> Arc<AggregateUDF> {
    crate::singleton!(
        AggregateUDF,
        NearestRankUdaf::udaf("kql_percentilew", Output::Single, Weighting::Weighted)
    )
}

pub(crate) static PERCENTILEW: KustoFunction = KustoFunction::aggregate(
    Signature::aggregate("percentilew", &[P::Num, P::Integer, P::Num], R::ArgType(0)).named(N::Percentile),
    udaf,
);

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{ArrayRef, Int64Array};
    use datafusion::common::ScalarValue;
    use datafusion::prelude::{col, lit};

    use super::super::support::testing::{only, query};
    use super::*;

    /// One partition: values `x` with weights in the harness's second column, `g`.
    fn chunk(values: Vec<Option<i64>>, weights: Vec<Option<i64>>) -> Vec<(ArrayRef, ArrayRef)> {
        vec![(
            Arc::new(Int64Array::from(values)) as ArrayRef,
            Arc::new(Int64Array::from(weights)) as ArrayRef,
        )]
    }

    async fn percentiles(chunks: Vec<Vec<(ArrayRef, ArrayRef)>>, points: &[f64]) -> Vec<ScalarValue> {
        let aggregates = points
            .iter()
            .map(|&p| udaf().call(vec![col("x"), col("g"), lit(p)]))
            .collect();
        let batch = query(chunks, vec![], aggregates).await;
        (0..points.len()).map(|column| only(&batch, column)).collect()
    }

    #[tokio::test]
    async fn docs_latency_buckets_across_partitions() {
        // percentilesw docs: latencyTable (ReqCount 8, 6, 3, 1 of LatencyBucket 10, 20, 30, 40)
        // | summarize percentilesw(LatencyBucket, ReqCount, 50, 75, 99.9) -> 20, 20, 40.
        let chunks = vec![
            chunk(vec![Some(30), Some(10)], vec![Some(3), Some(8)]),
            chunk(vec![Some(40), Some(20), None], vec![Some(1), Some(6), Some(5)]),
        ];
        let expected = [20, 20, 40].map(|v| ScalarValue::Int64(Some(v)));
        assert_eq!(percentiles(chunks, &[50.0, 75.0, 99.9]).await, expected);
    }

    #[tokio::test]
    async fn zero_weights_count_zero_times_and_no_rows_give_null() {
        // 10 once, 20 zero times, 30 once: P50 is rank 1 of 2 -> 10; P100 -> 30. P0 is the minimum.
        let chunks = vec![chunk(
            vec![Some(20), Some(30), Some(10)],
            vec![Some(0), Some(1), Some(1)],
        )];
        let expected = [10, 30, 10].map(|v| ScalarValue::Int64(Some(v)));
        assert_eq!(percentiles(chunks, &[50.0, 100.0, 0.0]).await, expected);
        let only_zero = vec![chunk(vec![Some(5)], vec![Some(0)])];
        assert_eq!(percentiles(only_zero, &[50.0]).await, [ScalarValue::Int64(None)]);
    }
}
