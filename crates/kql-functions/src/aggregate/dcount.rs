//! `dcount(x[, accuracy])` and `dcountif(x, predicate[, accuracy])`: the number of distinct values,
//! counted exactly (Kusto estimates; an exact count is within any accuracy it promises).

use datafusion::common::{Result, ScalarValue, plan_err};
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
    if let Some(accuracy) = args.get(1) {
        check_accuracy(accuracy)?;
    }
    Ok(count_distinct(first_argument(args)?))
}

/// The accuracy levels the page's "Estimation accuracy" table lists, 0 to 4: others have no
/// documented meaning, so they are refused rather than ignored.
fn check_accuracy(accuracy: &Expr) -> Result<()> {
    let level = match accuracy {
        Expr::Literal(ScalarValue::Int64(Some(level)), _) => Some(*level),
        Expr::Literal(ScalarValue::Int32(Some(level)), _) => Some(i64::from(*level)),
        _ => None,
    };
    match level {
        Some(0..=4) => Ok(()),
        _ => plan_err!(
            "the accuracy of dcount() or dcountif() must be a constant level 0 to 4 (the levels the docs' \"Estimation \
             accuracy\" table defines), not {accuracy}"
        ),
    }
}
