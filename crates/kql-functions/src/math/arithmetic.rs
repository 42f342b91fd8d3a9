//! Arithmetic with Kusto's types: whole numbers compute as long, and datetime/timespan arithmetic is
//! done on nanosecond counts, then cast back, so every combination Kusto allows works the same way.
//! The planner lowers `+ - * / %` with it, and `around` computes its bounds with it.

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::{Expr, Operator, binary_expr, cast, lit, when};
use kql_types::KustoType;

use super::checked;

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
        let whole = target == DataType::Int64;
        return operate(cast(left, target.clone()), op, cast(right, target), whole);
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
    let value = operate(
        as_count(left, left_type),
        op,
        as_count(right, right_type),
        !fractional,
    );
    match result {
        KustoType::Real => value,
        other => cast(cast(value, DataType::Int64), other.arrow_type()),
    }
}

/// `left op right` on values of one type; on whole numbers (`whole`), `+ - *` fail on overflow
/// (`checked`). Kusto's modulo is never negative (`0 <= N % D < abs(D)`, the
/// "numerical operators" page: `-14 % 12` is 10, `14 % -12` is 2), where DataFusion's takes the sign
/// of the dividend: a negative remainder moves up by `abs(D)`, which cannot overflow.
fn operate(left: Expr, op: Operator, right: Expr, whole: bool) -> Expr {
    if let Some(checked) = checked::for_operator(op).filter(|_| whole) {
        return checked.call(vec![left, right]);
    }
    if op != Operator::Modulo {
        return binary_expr(left, op, right);
    }
    let remainder = binary_expr(left, Operator::Modulo, right.clone());
    let zero = || lit(0_i64);
    let up = when(right.clone().lt(zero()), remainder.clone() - right.clone())
        .otherwise(remainder.clone() + right)
        .expect("a CASE with a branch");
    when(remainder.clone().lt(zero()), up)
        .otherwise(remainder)
        .expect("a CASE with a branch")
}
