//! `covariancep(x, y)`: the population covariance, sum((x - mean x)(y - mean y)) / n, over the rows
//! where both are non-null (0 without any); `covariancepif` over the rows that pass its predicate.

use std::sync::Arc;

use datafusion::logical_expr::AggregateUDF;

use super::covariance::{CovarianceUdaf, Divisor};
use crate::declare::*;

pub fn udaf() -> Arc<AggregateUDF> {
    crate::singleton!(
        AggregateUDF,
        CovarianceUdaf::udaf("kql_covariancep", Divisor::Population)
    )
}

// Named after both arguments (`covariancep_x_y`), as the page's example output shows and the
// emulator names `covarianceif`; Kusto.Language names it after the first only (differential/known.tsv).
pub(crate) static COVARIANCEP: KustoFunction = KustoFunction::aggregate(
    Signature::aggregate("covariancep", &[P::Num, P::Num], R::Fixed(T::Real))
        .named(N::PrefixedPair("covariancep")),
    udaf,
);

// The predicate follows both values.
pub(crate) static COVARIANCEPIF: KustoFunction = KustoFunction::conditional(
    Signature::aggregate("covariancepif", &[P::Num, P::Num, P::Bool], R::Fixed(T::Real))
        .named(N::PrefixedPair("covariancepif")),
    &COVARIANCEP,
    2,
);
