//! `set_has_element(set, value)`: whether the array holds the value, `array_index_of(set, value) >= 0`
//! as the docs relate the two (`set_has_element(dynamic(["this", "is", "an", "example"]), "example")` is
//! true); null when `set` is not an array.

use datafusion::common::Result;
use datafusion::logical_expr::{Expr, lit};

use super::array_index_of::array_index_of;
use crate::declare::*;
use crate::registry::ScalarCall;

pub(crate) static SET_HAS_ELEMENT: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("set_has_element", &[P::Dynamic, P::Dynamic], R::Fixed(T::Bool)),
    lower,
    &[array_index_of],
);

fn lower(call: ScalarCall) -> Result<Expr> {
    Ok(array_index_of().call(call.args).gt_eq(lit(0_i64)))
}
