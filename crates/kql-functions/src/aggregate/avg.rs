//! `avg(x)` and `avgif(x, predicate)`: the mean (DataFusion's `avg`): a real for numbers; the mean
//! of timespans is a timespan (`avg(1h, 3h)` is `02:00:00`, not a count of nanoseconds).

use datafusion::common::Result;
use datafusion::functions_aggregate::expr_fn::avg;
use datafusion::logical_expr::Expr;

use super::support::first_argument;
use crate::declare::*;

pub(crate) static AVG: KustoFunction = KustoFunction::aggregate_expr(
    Signature::aggregate("avg", &[P::Num], R::Average).named(N::Prefixed("avg")),
    lower,
);

pub(crate) static AVGIF: KustoFunction = KustoFunction::conditional(
    Signature::aggregate("avgif", &[P::Num, P::Bool], R::Average).named(N::Prefixed("avgif")),
    &AVG,
    1,
);

fn lower(args: Vec<Expr>) -> Result<Expr> {
    Ok(avg(first_argument(args)?))
}
