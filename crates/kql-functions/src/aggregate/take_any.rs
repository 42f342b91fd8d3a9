//! `take_any(x)` and its deprecated name `any(x)`: some value of the group (DataFusion's
//! `first_value`, non-empty values first). The two name their result differently, so each has a signature;
//! so do `take_anyif(x, predicate)` and its deprecated name `anyif`, the same over the rows where the
//! predicate holds.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DataFusionError, Result};
use datafusion::functions_aggregate::expr_fn::first_value;
use datafusion::logical_expr::{Expr, SortExpr, cast, lit};

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

/// The value of a record of the group. Alone, a non-null, non-empty one where there is one: "When the
/// function is provided with a single column reference, it will attempt to return a non-null/non-empty
/// value, if such value is present" (records are otherwise arbitrary, so empty ones are simply ordered
/// last). The binder passes `take_any(x, y, ...)` as one call per value followed by all the values:
/// each column then takes the record first in the order of all the values, the same record for all.
fn lower(args: Vec<Expr>) -> Result<Expr> {
    let mut args = args.into_iter();
    let value = args
        .next()
        .ok_or_else(|| DataFusionError::Internal("take_any without its value".to_string()))?;
    let record: Vec<SortExpr> = args.map(|other| other.sort(true, false)).collect();
    if !record.is_empty() {
        return Ok(first_value(value, record));
    }
    let empty = value
        .clone()
        .is_null()
        .or(cast(value.clone(), DataType::Utf8).eq(lit("")));
    Ok(first_value(value, vec![empty.sort(true, false)]))
}
