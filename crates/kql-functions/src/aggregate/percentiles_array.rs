//! `percentiles_array(x, p1, p2, ...)` or `percentiles_array(x, dynamic([p1, p2, ...]))`: nearest-rank
//! percentiles as a dynamic JSON array (null for no values), as `percentiles` computes them one column
//! each. The percentiles are constants: numbers, or one dynamic array of numbers.

use std::sync::Arc;

use datafusion::logical_expr::AggregateUDF;

use super::nearest_rank::{NearestRankUdaf, Output, Weighting};
use crate::declare::*;

pub fn udaf() -> Arc<AggregateUDF> {
    crate::singleton!(
        AggregateUDF,
        NearestRankUdaf::udaf("kql_percentiles_array", Output::Array, Weighting::Unweighted)
    )
}

// Kusto.Language names an unnamed call `percentiles_X`.
pub(crate) static PERCENTILES_ARRAY: KustoFunction = KustoFunction::aggregate(
    Signature::aggregate("percentiles_array", &[P::Num, P::Any], R::Fixed(T::Dynamic))
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

    #[tokio::test]
    async fn latency_example_as_an_array() {
        // latencyTable | summarize percentilesw_array(LatencyBucket, ReqCount, 50, 75, 99.9) -> [20, 20, 40]
        let values: Vec<i64> = [(8, 10), (6, 20), (3, 30), (1, 40)]
            .iter()
            .flat_map(|&(count, value)| std::iter::repeat_n(value, count))
            .collect();
        let chunks = values
            .chunks(5)
            .map(|part| {
                let keys: ArrayRef = Arc::new(Int64Array::from(vec![0; part.len()]));
                vec![(Arc::new(Int64Array::from(part.to_vec())) as ArrayRef, keys)]
            })
            .collect();
        let call = udaf().call(vec![col("x"), lit(50i64), lit(75i64), lit(99.9)]);
        let batch = query(chunks, vec![], vec![call]).await;
        assert_eq!(only(&batch, 0), ScalarValue::from("[20,20,40]"));
    }

    #[tokio::test]
    async fn percentiles_as_one_dynamic_array() {
        // percentiles_array(x, dynamic([50, 75, 99.9])) is the same call as with three arguments.
        let keys: ArrayRef = Arc::new(Int64Array::from(vec![0; 4]));
        let chunks = vec![vec![(
            Arc::new(Int64Array::from(vec![40, 10, 30, 20])) as ArrayRef,
            keys,
        )]];
        let call = udaf().call(vec![col("x"), lit("[50, 75, 99.9]")]);
        let batch = query(chunks, vec![], vec![call]).await;
        assert_eq!(only(&batch, 0), ScalarValue::from("[20,30,40]"));
    }
}
