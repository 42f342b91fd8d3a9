//! `take_any(x)` and its deprecated name `any(x)`: some value of the group (DataFusion's
//! `first_value` without an order). The two name their result differently, so each has a signature.

use datafusion::common::Result;
use datafusion::functions_aggregate::expr_fn::first_value;
use datafusion::logical_expr::Expr;

use super::support::first_argument;
use crate::declare::*;

pub(crate) static TAKE_ANY: KustoFunction = KustoFunction::aggregate_expr(
    Signature::aggregate("take_any", &[P::Any], R::ArgType(0)).named(N::FirstArgument),
    lower,
);

pub(crate) static ANY: KustoFunction = KustoFunction::aggregate_expr(
    Signature::aggregate("any", &[P::Any], R::ArgType(0)).named(N::Prefixed("any")),
    lower,
);

fn lower(args: Vec<Expr>) -> Result<Expr> {
    Ok(first_value(first_argument(args)?, vec![]))
}
