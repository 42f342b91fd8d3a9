//! Kusto aggregate functions that DataFusion lacks.

use std::sync::Arc;

use datafusion::logical_expr::AggregateUDF;

mod arg_extreme;
mod arg_max;
mod arg_min;
mod collect;
mod covariance;
mod make_bag;
mod make_list;
mod make_list_dynamic;
mod make_list_with_nulls;
pub mod make_series;
mod make_set;
mod make_set_dynamic;
mod moments;
mod nearest_rank;
mod percentile;
mod percentiles_array;
mod stdev;
mod support;
mod variance;

pub fn functions() -> Vec<Arc<AggregateUDF>> {
    vec![
        arg_max::udaf(),
        arg_min::udaf(),
        covariance::udaf(),
        make_bag::udaf(),
        make_list::udaf(),
        make_list_dynamic::udaf(),
        make_list_with_nulls::udaf(),
        make_list_with_nulls::dynamic_udaf(),
        make_series::udaf(),
        make_set::udaf(),
        make_set_dynamic::udaf(),
        percentile::udaf(),
        percentiles_array::udaf(),
        stdev::udaf(),
        variance::udaf(),
    ]
}
