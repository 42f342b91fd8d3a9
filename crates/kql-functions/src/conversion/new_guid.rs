//! `new_guid()`: a random (version 4) guid, new for each row (DataFusion's `uuid()`, lower-case
//! hyphenated text, as Kusto prints guids).

use datafusion::common::Result;
use datafusion::functions::expr_fn::uuid;
use datafusion::logical_expr::Expr;

use crate::declare::*;
use crate::registry::ScalarCall;

pub(crate) static NEW_GUID: KustoFunction =
    KustoFunction::scalar_expr(Signature::scalar("new_guid", &[], R::Fixed(T::Guid)), lower);

fn lower(_call: ScalarCall) -> Result<Expr> {
    Ok(uuid())
}
