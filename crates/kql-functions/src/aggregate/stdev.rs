//! `stdev(x)`: the sample standard deviation; 0 for fewer than two values.

use std::sync::Arc;

use datafusion::logical_expr::AggregateUDF;

use super::moments::{MomentsUdaf, Statistic};
use crate::declare::*;

pub fn udaf() -> Arc<AggregateUDF> {
    crate::singleton!(
        AggregateUDF,
        MomentsUdaf::udaf("kql_stdev", Statistic::StandardDeviation)
    )
}

pub(crate) static STDEV: KustoFunction = KustoFunction::aggregate(
    Signature::aggregate("stdev", &[P::Num], R::Fixed(T::Real)).named(N::Prefixed("stdev")),
    udaf,
);

pub(crate) static STDEVIF: KustoFunction = KustoFunction::conditional(
    Signature::aggregate("stdevif", &[P::Num, P::Bool], R::Fixed(T::Real)).named(N::Prefixed("stdevif")),
    &STDEV,
    1,
);

/// `stdevp(x)`: the population standard deviation (DataFusion's `stddev_pop`).
pub(crate) static STDEVP: KustoFunction = KustoFunction::aggregate_expr(
    Signature::aggregate("stdevp", &[P::Num], R::Fixed(T::Real)).named(N::Prefixed("stdevp")),
    |args| {
        Ok(datafusion::functions_aggregate::expr_fn::stddev_pop(
            super::support::first_argument(args)?,
        ))
    },
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::super::moments::statistic_of;
    use super::*;

    #[tokio::test]
    async fn emulator_examples_across_partitions() {
        // range x from 1 to 5 step 1 | summarize stdev(x) -> 1.5811388300841898
        let out = statistic_of(udaf(), vec![vec![1, 2], vec![3], vec![4, 5]]).await;
        let ScalarValue::Float64(Some(value)) = out else {
            panic!("{out:?}")
        };
        assert!((value - 1.5811388300841898).abs() < 1e-12, "{value}");
        // datatable(x:long)[] | summarize stdev(x) -> 0.0
        assert_eq!(
            statistic_of(udaf(), vec![vec![]]).await,
            ScalarValue::Float64(Some(0.0))
        );
        assert_eq!(
            statistic_of(udaf(), vec![vec![7]]).await,
            ScalarValue::Float64(Some(0.0))
        );
    }
}
