//! `dcount(x[, accuracy])` and `dcountif(x, predicate[, accuracy])`: the number of distinct values,
//! counted exactly (Kusto estimates; an exact count is within any accuracy it promises).

use datafusion::common::Result;
use datafusion::functions_aggregate::expr_fn::count_distinct;
use datafusion::logical_expr::Expr;

use super::support::first_argument;
use crate::declare::*;

pub(crate) static DCOUNT: KustoFunction = KustoFunction::aggregate_expr(
    Signature::aggregate("dcount", &[P::Any, P::Integer], R::Fixed(T::Long))
        .optional_from(1)
        .named(N::Prefixed("dcount")),
    lower,
);

pub(crate) static DCOUNTIF: KustoFunction = KustoFunction::conditional(
    Signature::aggregate("dcountif", &[P::Any, P::Bool, P::Integer], R::Fixed(T::Long))
        .optional_from(2)
        .named(N::Prefixed("dcountif")),
    &DCOUNT,
    1,
);

fn lower(args: Vec<Expr>) -> Result<Expr> {
    Ok(count_distinct(first_argument(args)?))
}
