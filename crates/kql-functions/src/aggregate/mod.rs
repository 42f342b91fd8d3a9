//! Kusto aggregate functions: UDAFs where DataFusion has no equivalent, DataFusion's own otherwise.

use crate::registry::{InternalFunction, KustoFunction};

mod arg_extreme;
mod arg_max;
mod arg_min;
mod avg;
mod binary_all;
mod collect;
mod count;
mod count_distinct;
mod covariance;
mod covariancep;
mod dcount;
mod make_bag;
mod make_list;
mod make_list_dynamic;
mod make_list_with_nulls;
pub mod make_series;
mod make_set;
mod make_set_dynamic;
mod max;
mod min;
mod moments;
mod nearest_rank;
mod percentile;
pub(crate) mod percentiles_array;
mod percentilesw_array;
mod percentilew;
mod row_window_session;
mod stdev;
mod sum;
mod support;
mod take_any;
mod variance;

/// The family's functions, each declared in its own file.
pub(crate) const FUNCTIONS: &[&KustoFunction] = &[
    &covariance::COVARIANCE,
    &make_bag::MAKE_BAG,
    &make_list::MAKE_LIST,
    &make_list::MAKELIST,
    &make_list_with_nulls::MAKE_LIST_WITH_NULLS,
    &make_set::MAKE_SET,
    &make_set::MAKESET,
    &percentile::PERCENTILE,
    &stdev::STDEV,
    &variance::VARIANCE,
    &count::COUNT,
    &count::COUNTIF,
    &dcount::DCOUNT,
    &dcount::DCOUNTIF,
    &sum::SUM,
    &sum::SUMIF,
    &avg::AVG,
    &avg::AVGIF,
    &min::MIN,
    &min::MINIF,
    &max::MAX,
    &max::MAXIF,
    &take_any::TAKE_ANY,
    &take_any::ANY,
    &stdev::STDEVIF,
    &stdev::STDEVP,
    &variance::VARIANCEIF,
    &variance::VARIANCEP,
    &binary_all::BINARY_ALL_AND,
    &binary_all::BINARY_ALL_OR,
    &binary_all::BINARY_ALL_XOR,
    &make_set::MAKE_SET_IF,
    &make_list::MAKE_LIST_IF,
    &make_bag::MAKE_BAG_IF,
    &covariance::COVARIANCEIF,
    &count::CNT,
    &count_distinct::COUNT_DISTINCT,
    &count_distinct::COUNT_DISTINCTIF,
    &take_any::TAKE_ANYIF,
    &take_any::ANYIF,
    &variance::VARIANCEPIF,
    &covariancep::COVARIANCEP,
    &covariancep::COVARIANCEPIF,
    &percentiles_array::PERCENTILES_ARRAY,
    &percentilew::PERCENTILEW,
    &percentilesw_array::PERCENTILESW_ARRAY,
];

/// Operators and internal steps the binder and planner call by name.
pub(crate) const INTERNAL: &[&InternalFunction] = &[
    &arg_max::ARG_MAX,
    &arg_min::ARG_MIN,
    &make_series::MAKE_SERIES,
    &row_window_session::ROW_WINDOW_SESSION,
];
