//! `min(x)` and `minif(x, predicate)`: the smallest value, of the argument's type.

use datafusion::common::Result;
use datafusion::functions_aggregate::expr_fn::min;
use datafusion::logical_expr::Expr;

use super::support::first_argument;
use crate::declare::*;

pub(crate) static MIN: KustoFunction = KustoFunction::aggregate_expr(
    Signature::aggregate("min", &[P::Any], R::ArgType(0)).named(N::Prefixed("min")),
    lower,
);

pub(crate) static MINIF: KustoFunction = KustoFunction::conditional(
    Signature::aggregate("minif", &[P::Any, P::Bool], R::ArgType(0)).named(N::Prefixed("minif")),
    &MIN,
    1,
);

fn lower(args: Vec<Expr>) -> Result<Expr> {
    Ok(min(first_argument(args)?))
}
