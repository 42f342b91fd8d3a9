//! Arithmetic with Kusto's types: whole numbers compute as long, and datetime/timespan arithmetic is
//! done on nanosecond counts, then cast back, so every combination Kusto allows works the same way.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::DFSchema;
use datafusion::logical_expr::{Expr, Operator, binary_expr, cast};
use kql_binder::bound::{BinaryOp, BoundExpr};
use kql_types::KustoType;

use crate::{PResult, Planner};

fn operator(op: BinaryOp) -> Operator {
    match op {
        BinaryOp::Add => Operator::Plus,
        BinaryOp::Sub => Operator::Minus,
        BinaryOp::Mul => Operator::Multiply,
        BinaryOp::Div => Operator::Divide,
        _ => Operator::Modulo,
    }
}

impl Planner<'_> {
    pub(crate) fn arithmetic(
        &self,
        op: BinaryOp,
        left: &BoundExpr,
        right: &BoundExpr,
        result: KustoType,
        schema: &DFSchema,
    ) -> PResult<Expr> {
        let l = self.expr(left, schema)?;
        let r = self.expr(right, schema)?;
        let temporal = |t: KustoType| matches!(t, KustoType::DateTime | KustoType::TimeSpan);
        if !temporal(left.ty) && !temporal(right.ty) {
            let target = result.arrow_type();
            return Ok(binary_expr(
                cast(l, target.clone()),
                operator(op),
                cast(r, target),
            ));
        }
        // On nanosecond counts: reals scale them, everything else is whole.
        let fractional =
            left.ty == KustoType::Real || right.ty == KustoType::Real || result == KustoType::Real;
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
        let value = binary_expr(as_count(l, left.ty), operator(op), as_count(r, right.ty));
        Ok(match result {
            KustoType::Real => value,
            other => cast(cast(value, DataType::Int64), other.arrow_type()),
        })
    }
}
