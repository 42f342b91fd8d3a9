//! `coalesce(a, b, ...)`: the first value that is not null; for text types (string, guid, dynamic)
//! also not empty, as Kusto skips empty strings. The binder gives every argument the values' common
//! type first (a special form there); this is how the call runs.

use datafusion::common::Result;
use datafusion::functions::expr_fn::coalesce;
use datafusion::logical_expr::{Expr, lit, when};

use crate::declare::*;
use crate::registry::ScalarCall;
use crate::string::isnull::{empty, is_text};

pub(crate) static COALESCE: KustoFunction = KustoFunction::scalar_expr(
    Signature::scalar("coalesce", &[P::Any, P::Any], R::ArgType(0)).variadic(),
    lower,
);

fn lower(call: ScalarCall) -> Result<Expr> {
    if !is_text(call.result) {
        return Ok(coalesce(call.args));
    }
    let mut values = call.args;
    let mut result = values.pop().unwrap_or_else(|| lit(""));
    for value in values.into_iter().rev() {
        result = when(Expr::Not(Box::new(empty(value.clone(), call.result))), value).otherwise(result)?;
    }
    Ok(result)
}
