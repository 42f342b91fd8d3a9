//! Arithmetic operators, with Kusto's types (`kql_functions::math::arithmetic` has the rules).

use datafusion::common::DFSchema;
use datafusion::logical_expr::{Expr, Operator};
use kql_binder::bound::{BinaryOp, BoundExpr};
use kql_functions::math::arithmetic::arithmetic;
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
        Ok(arithmetic(operator(op), (l, left.ty), (r, right.ty), result))
    }
}
