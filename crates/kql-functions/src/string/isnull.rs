//! `isnull(x)` and `isnotnull(x)`: whether a value is null. Kusto strings are never null (a missing
//! string is ""), so for a string the answer is known while planning.

use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::{Expr, lit};
use kql_types::KustoType;

use crate::declare::*;
use crate::registry::ScalarCall;

pub(crate) static ISNULL: KustoFunction = KustoFunction::scalar_expr(
    Signature::scalar("isnull", &[P::Any], R::Fixed(T::Bool)),
    null_test,
);

pub(crate) static ISNOTNULL: KustoFunction = KustoFunction::scalar_expr(
    Signature::scalar("isnotnull", &[P::Any], R::Fixed(T::Bool)).aliases(&["notnull"]),
    not_null_test,
);

/// `isnull` of the one argument.
fn null_test(call: ScalarCall) -> Result<Expr> {
    let (value, ty) = only_argument(call)?;
    Ok(if ty == KustoType::String {
        lit(false)
    } else {
        value.is_null()
    })
}

fn not_null_test(call: ScalarCall) -> Result<Expr> {
    Ok(Expr::Not(Box::new(null_test(call)?)))
}

/// The one argument of a one-argument call, with its Kusto type.
pub(crate) fn only_argument(call: ScalarCall) -> Result<(Expr, KustoType)> {
    match (call.args.into_iter().next(), call.types.first()) {
        (Some(value), Some(ty)) => Ok((value, *ty)),
        _ => Err(DataFusionError::Internal("expected one argument".to_string())),
    }
}

/// Whether a Kusto type is text in Arrow (string, guid, dynamic), where "empty" includes "".
pub(crate) fn is_text(ty: KustoType) -> bool {
    matches!(ty, KustoType::String | KustoType::Guid | KustoType::Dynamic)
}

/// Kusto's `isempty`: null, or the empty string for text types.
pub(crate) fn empty(value: Expr, ty: KustoType) -> Expr {
    if is_text(ty) {
        value.clone().is_null().or(value.eq(lit("")))
    } else {
        value.is_null()
    }
}
