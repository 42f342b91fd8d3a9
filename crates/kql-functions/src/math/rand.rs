//! `rand()`: a random real in [0, 1), new for each row (DataFusion's `random()`).

use datafusion::common::Result;
use datafusion::functions::expr_fn::random;
use datafusion::logical_expr::Expr;

use crate::declare::*;
use crate::registry::ScalarCall;

pub(crate) static RAND: KustoFunction = KustoFunction::scalar_expr(
    // A random number in [0, 1), new for each row.
    Signature::scalar("rand", &[], R::Fixed(T::Real)),
    lower,
);

fn lower(_call: ScalarCall) -> Result<Expr> {
    Ok(random())
}
