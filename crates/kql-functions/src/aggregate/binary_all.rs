//! `binary_all_and(x)`, `binary_all_or(x)`, `binary_all_xor(x)`: the bitwise and/or/xor of the
//! group's values, as long. The pages define them for long values ("expr: long"); a real or decimal
//! is refused rather than truncated.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::functions_aggregate::expr_fn::{bit_and, bit_or, bit_xor};
use datafusion::logical_expr::{Expr, cast};

use super::support::first_argument;
use crate::declare::*;

pub(crate) static BINARY_ALL_AND: KustoFunction = KustoFunction::aggregate_expr(
    Signature::aggregate("binary_all_and", &[P::IntOrLong], R::Fixed(T::Long))
        .named(N::Prefixed("binary_all_and")),
    |args| Ok(bit_and(as_long(args)?)),
);

pub(crate) static BINARY_ALL_OR: KustoFunction = KustoFunction::aggregate_expr(
    Signature::aggregate("binary_all_or", &[P::IntOrLong], R::Fixed(T::Long))
        .named(N::Prefixed("binary_all_or")),
    |args| Ok(bit_or(as_long(args)?)),
);

pub(crate) static BINARY_ALL_XOR: KustoFunction = KustoFunction::aggregate_expr(
    Signature::aggregate("binary_all_xor", &[P::IntOrLong], R::Fixed(T::Long))
        .named(N::Prefixed("binary_all_xor")),
    |args| Ok(bit_xor(as_long(args)?)),
);

fn as_long(args: Vec<Expr>) -> Result<Expr> {
    Ok(cast(first_argument(args)?, DataType::Int64))
}
