//! `variance(x)`: the sample variance; 0 for fewer than two values.

use std::sync::Arc;

use datafusion::logical_expr::AggregateUDF;

use super::moments::{MomentsUdaf, Statistic};
use crate::declare::*;

pub fn udaf() -> Arc<AggregateUDF> {
    crate::singleton!(
        AggregateUDF,
        MomentsUdaf::udaf("kql_variance", Statistic::Variance)
    )
}

pub(crate) static VARIANCE: KustoFunction = KustoFunction::aggregate(
    Signature::aggregate("variance", &[P::Num], R::Fixed(T::Real)).named(N::Prefixed("variance")),
    udaf,
);

pub(crate) static VARIANCEIF: KustoFunction = KustoFunction::conditional(
    Signature::aggregate("varianceif", &[P::Num, P::Bool], R::Fixed(T::Real))
        .named(N::Prefixed("varianceif")),
    &VARIANCE,
    1,
);

/// `variancep(x)`: the population variance (DataFusion's `var_pop`).
pub(crate) static VARIANCEP: KustoFunction = KustoFunction::aggregate_expr(
    Signature::aggregate("variancep", &[P::Num], R::Fixed(T::Real)).named(N::Prefixed("variancep")),
    |args| {
        Ok(datafusion::functions_aggregate::expr_fn::var_pop(
            super::support::first_argument(args)?,
        ))
    },
);

pub(crate) static VARIANCEPIF: KustoFunction = KustoFunction::conditional(
    Signature::aggregate("variancepif", &[P::Num, P::Bool], R::Fixed(T::Real))
        .named(N::Prefixed("variancepif")),
    &VARIANCEP,
    1,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::super::moments::statistic_of;
    use super::*;

    #[tokio::test]
    async fn emulator_examples_across_partitions() {
        // range x from 1 to 100 step 1 | summarize varianceif(x, x%2 == 0) -> 850.0
        let evens: Vec<i64> = (1..=100).filter(|x| x % 2 == 0).collect();
        let (first, rest) = evens.split_at(20);
        let out = statistic_of(udaf(), vec![first.to_vec(), rest.to_vec()]).await;
        let ScalarValue::Float64(Some(value)) = out else {
            panic!("{out:?}")
        };
        assert!((value - 850.0).abs() < 1e-9, "{value}");
        // datatable(x:long)[] | summarize variance(x) -> 0.0
        assert_eq!(
            statistic_of(udaf(), vec![vec![]]).await,
            ScalarValue::Float64(Some(0.0))
        );
    }
}
