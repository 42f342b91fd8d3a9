//! `around(value, center, delta)`: whether `value` lies in `[center - delta, center + delta]` (both
//! ends included, as the docs' example shows); numbers, datetimes with a timespan delta, or timespans.

use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::{Expr, Operator};
use kql_types::KustoType;
use kql_types::signature::promote;

use super::arithmetic::arithmetic;
use crate::declare::*;
use crate::registry::ScalarCall;

pub(crate) static AROUND: KustoFunction = KustoFunction::scalar_expr(
    Signature::scalar(
        "around",
        &[P::Binnable, P::Binnable, P::Binnable],
        R::Fixed(T::Bool),
    ),
    lower,
);

fn lower(call: ScalarCall) -> Result<Expr> {
    let ([value, center, delta], [_, center_type, delta_type]) = (
        <[Expr; 3]>::try_from(call.args)
            .map_err(|_| DataFusionError::Internal("around takes 3 arguments".to_string()))?,
        <[KustoType; 3]>::try_from(call.types)
            .map_err(|_| DataFusionError::Internal("around takes 3 arguments".to_string()))?,
    );
    let bound_type = match center_type {
        KustoType::DateTime | KustoType::TimeSpan => center_type,
        _ => promote(&[center_type, delta_type]),
    };
    let bound = |op| {
        arithmetic(
            op,
            (center.clone(), center_type),
            (delta.clone(), delta_type),
            bound_type,
        )
    };
    let (low, high) = (bound(Operator::Minus), bound(Operator::Plus));
    Ok(value.clone().gt_eq(low).and(value.lt_eq(high)))
}
