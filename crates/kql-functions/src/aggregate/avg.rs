//! `avg(x)` and `avgif(x, predicate)`: the mean, a real (DataFusion's `avg`).

use datafusion::common::Result;
use datafusion::functions_aggregate::expr_fn::avg;
use datafusion::logical_expr::Expr;

use super::support::first_argument;
use crate::declare::*;

pub(crate) static AVG: KustoFunction = KustoFunction::aggregate_expr(
    Signature::aggregate("avg", &[P::Num], R::Fixed(T::Real)).named(N::Prefixed("avg")),
    lower,
);

pub(crate) static AVGIF: KustoFunction = KustoFunction::conditional(
    Signature::aggregate("avgif", &[P::Num, P::Bool], R::Fixed(T::Real)).named(N::Prefixed("avgif")),
    &AVG,
    1,
);

fn lower(args: Vec<Expr>) -> Result<Expr> {
    Ok(avg(first_argument(args)?))
}
