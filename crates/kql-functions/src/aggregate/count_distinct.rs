//! `count_distinct(x)` and `count_distinctif(x, predicate)`: the exact number of distinct non-null
//! values of `x` (of the rows where the predicate holds). The docs: "Null values are ignored and don't
//! factor into the calculation"; an empty string is a value, as for `dcount`.

use datafusion::common::Result;
use datafusion::functions_aggregate::expr_fn::count_distinct;
use datafusion::logical_expr::Expr;

use super::support::first_argument;
use crate::declare::*;

pub(crate) static COUNT_DISTINCT: KustoFunction = KustoFunction::aggregate_expr(
    Signature::aggregate("count_distinct", &[P::Any], R::Fixed(T::Long)).named(N::Prefixed("count_distinct")),
    lower,
);

pub(crate) static COUNT_DISTINCTIF: KustoFunction = KustoFunction::conditional(
    Signature::aggregate("count_distinctif", &[P::Any, P::Bool], R::Fixed(T::Long))
        .named(N::Prefixed("count_distinctif")),
    &COUNT_DISTINCT,
    1,
);

fn lower(args: Vec<Expr>) -> Result<Expr> {
    Ok(count_distinct(first_argument(args)?))
}
