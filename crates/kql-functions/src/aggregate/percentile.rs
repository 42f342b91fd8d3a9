//! `percentile(x, p)`: the nearest-rank `p`-th percentile of `x`, typed like `x` (see `nearest_rank`).

use std::sync::Arc;

use datafusion::logical_expr::AggregateUDF;

use super::nearest_rank::{NearestRankUdaf, Output, Weighting};
use crate::declare::*;

pub fn udaf() -> Arc<AggregateUDF> {
    crate::singleton!(
        AggregateUDF,
        NearestRankUdaf::udaf("kql_percentile", Output::Single, Weighting::Unweighted)
    )
}

pub(crate) static PERCENTILE: KustoFunction = KustoFunction::aggregate(
    Signature::aggregate("percentile", &[P::Num, P::Num], R::ArgType(0)).named(N::Percentile),
    udaf,
);

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{ArrayRef, Int64Array};
    use datafusion::common::ScalarValue;
    use datafusion::prelude::{col, lit};

    use super::super::support::testing::{only, query};
    use super::*;

    fn chunk(values: Vec<Option<i64>>) -> Vec<(ArrayRef, ArrayRef)> {
        let keys: ArrayRef = Arc::new(Int64Array::from(vec![0; values.len()]));
        vec![(Arc::new(Int64Array::from(values)) as ArrayRef, keys)]
    }

    #[tokio::test]
    async fn latency_example_across_partitions() {
        // latencyTable (8 x 10, 6 x 20, 3 x 30, 1 x 40) | summarize percentilesw(LatencyBucket, ReqCount, 50, 75, 99.9)
        // -> 20, 20, 40 (emulator); here the weights are expanded into rows.
        let mut values: Vec<Option<i64>> = [(8, 10), (6, 20), (3, 30), (1, 40)]
            .iter()
            .flat_map(|&(count, value)| std::iter::repeat_n(Some(value), count))
            .collect();
        values.push(None);
        let (a, b) = values.split_at(7);
        let chunks = vec![chunk(b.to_vec()), chunk(a.to_vec())];
        let aggregates = [50.0, 75.0, 99.9]
            .map(|p| udaf().call(vec![col("x"), lit(p)]))
            .to_vec();
        let batch = query(chunks, vec![], aggregates).await;
        for (column, expected) in [20, 20, 40].into_iter().enumerate() {
            assert_eq!(only(&batch, column), ScalarValue::Int64(Some(expected)));
        }
    }

    #[tokio::test]
    async fn empty_input_gives_null() {
        // datatable(x:long)[] | summarize percentile(x, 55) -> null (emulator)
        let batch = query(
            vec![chunk(vec![])],
            vec![],
            vec![udaf().call(vec![col("x"), lit(55i64)])],
        )
        .await;
        assert_eq!(only(&batch, 0), ScalarValue::Int64(None));
    }
}
