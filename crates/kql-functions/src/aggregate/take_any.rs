//! `take_any(x)` and its deprecated name `any(x)`: some value of the group (DataFusion's
//! `first_value` without an order). The two name their result differently, so each has a signature;
//! so do `take_anyif(x, predicate)` and its deprecated name `anyif`, the same over the rows where the
//! predicate holds.

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

pub(crate) static TAKE_ANYIF: KustoFunction = KustoFunction::conditional(
    Signature::aggregate("take_anyif", &[P::Any, P::Bool], R::ArgType(0)).named(N::FirstArgument),
    &TAKE_ANY,
    1,
);

pub(crate) static ANYIF: KustoFunction = KustoFunction::conditional(
    Signature::aggregate("anyif", &[P::Any, P::Bool], R::ArgType(0)).named(N::Prefixed("anyif")),
    &ANY,
    1,
);

fn lower(args: Vec<Expr>) -> Result<Expr> {
    Ok(first_value(first_argument(args)?, vec![]))
}
