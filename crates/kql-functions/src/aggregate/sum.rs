//! `sum(x)` and `sumif(x, predicate)`: DataFusion's `sum`; whole numbers sum to long.

use datafusion::common::Result;
use datafusion::functions_aggregate::expr_fn::sum;
use datafusion::logical_expr::Expr;

use super::support::first_argument;
use crate::declare::*;

pub(crate) static SUM: KustoFunction = KustoFunction::aggregate_expr(
    Signature::aggregate("sum", &[P::Num], R::Sum).named(N::Prefixed("sum")),
    lower,
);

pub(crate) static SUMIF: KustoFunction = KustoFunction::conditional(
    Signature::aggregate("sumif", &[P::Num, P::Bool], R::Sum).named(N::Prefixed("sumif")),
    &SUM,
    1,
);

fn lower(args: Vec<Expr>) -> Result<Expr> {
    Ok(sum(first_argument(args)?))
}
