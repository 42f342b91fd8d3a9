//! `rand()`: a random real in [0, 1), new for each row (DataFusion's `random()`); `rand(N)`: a random
//! real from {0.0, 1.0, ..., N - 1} (the rand function page).

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue};
use datafusion::functions::expr_fn::{floor, random};
use datafusion::logical_expr::Operator;
use datafusion::logical_expr::{Expr, binary_expr, cast, lit, when};

use crate::declare::*;
use crate::registry::ScalarCall;

pub(crate) static RAND: KustoFunction = KustoFunction::scalar_expr(
    // rand([N]): a random number in [0, 1), or a whole one below N, new for each row.
    Signature::scalar("rand", &[P::Integer], R::Fixed(T::Real)).optional_from(0),
    lower,
);

fn lower(call: ScalarCall) -> Result<Expr> {
    let Some(range) = call.args.into_iter().next() else {
        return Ok(random());
    };
    // The page defines the set {0.0, ..., N - 1} only for N >= 1; a smaller or null N gives null.
    let range = cast(range, DataType::Float64);
    when(
        range.clone().gt_eq(lit(1.0)),
        floor(binary_expr(random(), Operator::Multiply, range)),
    )
    .otherwise(lit(ScalarValue::Float64(None)))
}
