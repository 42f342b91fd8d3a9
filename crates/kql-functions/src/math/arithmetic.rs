//! Arithmetic with Kusto's types: whole numbers compute as long, and datetime/timespan arithmetic is
//! done on nanosecond counts, then cast back, so every combination Kusto allows works the same way.
//! The planner lowers `+ - * / %` with it, and `around` computes its bounds with it.

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::{Expr, Operator, binary_expr, cast};
use kql_types::KustoType;

/// `left op right`, given the operands' Kusto types and the result type the binder inferred.
pub fn arithmetic(
    op: Operator,
    (left, left_type): (Expr, KustoType),
    (right, right_type): (Expr, KustoType),
    result: KustoType,
) -> Expr {
    let temporal = |t: KustoType| matches!(t, KustoType::DateTime | KustoType::TimeSpan);
    if !temporal(left_type) && !temporal(right_type) {
        let target = result.arrow_type();
        return binary_expr(cast(left, target.clone()), op, cast(right, target));
    }
    // On nanosecond counts: reals scale them, everything else is whole.
    let fractional =
        left_type == KustoType::Real || right_type == KustoType::Real || result == KustoType::Real;
    let count_type = if fractional {
        DataType::Float64
    } else {
        DataType::Int64
    };
    let as_count = |e: Expr, ty: KustoType| {
        if temporal(ty) {
            cast(cast(e, DataType::Int64), count_type.clone())
        } else {
            cast(e, count_type.clone())
        }
    };
    let value = binary_expr(as_count(left, left_type), op, as_count(right, right_type));
    match result {
        KustoType::Real => value,
        other => cast(cast(value, DataType::Int64), other.arrow_type()),
    }
}
