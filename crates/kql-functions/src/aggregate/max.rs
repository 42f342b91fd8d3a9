//! `max(x)` and `maxif(x, predicate)`: the largest value, of the argument's type.

use datafusion::common::Result;
use datafusion::functions_aggregate::expr_fn::max;
use datafusion::logical_expr::Expr;

use super::support::first_argument;
use crate::declare::*;

pub(crate) static MAX: KustoFunction = KustoFunction::aggregate_expr(
    Signature::aggregate("max", &[P::Any], R::ArgType(0)).named(N::Prefixed("max")),
    lower,
);

pub(crate) static MAXIF: KustoFunction = KustoFunction::conditional(
    Signature::aggregate("maxif", &[P::Any, P::Bool], R::ArgType(0)).named(N::Prefixed("maxif")),
    &MAX,
    1,
);

fn lower(args: Vec<Expr>) -> Result<Expr> {
    Ok(max(first_argument(args)?))
}
