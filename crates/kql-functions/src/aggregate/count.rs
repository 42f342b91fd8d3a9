//! `count()` and `countif(predicate)`: the number of rows (of those where the predicate holds). Kusto's
//! `count(x)` counts rows too, null `x` included, as the emulator shows. `cnt()` is `count()`'s
//! deprecated name; it takes no argument and names its column `cnt_` (Kusto.Language).

use datafusion::common::Result;
use datafusion::functions_aggregate::expr_fn::count;
use datafusion::logical_expr::{Expr, lit};

use crate::declare::*;

pub(crate) static COUNT: KustoFunction = KustoFunction::aggregate_expr(
    Signature::aggregate("count", &[P::Any], R::Fixed(T::Long))
        .optional_from(0)
        .named(N::Prefixed("count")),
    lower,
);

pub(crate) static COUNTIF: KustoFunction = KustoFunction::conditional(
    Signature::aggregate("countif", &[P::Bool], R::Fixed(T::Long)).named(N::Prefixed("countif")),
    &COUNT,
    0,
);

pub(crate) static CNT: KustoFunction = KustoFunction::aggregate_expr(
    Signature::aggregate("cnt", &[], R::Fixed(T::Long)).named(N::Prefixed("cnt")),
    lower,
);

fn lower(_args: Vec<Expr>) -> Result<Expr> {
    Ok(count(lit(1)))
}
