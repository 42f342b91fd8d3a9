//! Scalar expressions: bound Kusto expressions to DataFusion expressions over an input schema.

mod arithmetic;
pub(crate) mod functions;
mod literal;
mod membership;

use std::sync::Arc;

use datafusion::common::{DFSchema, ScalarValue};
use datafusion::logical_expr::expr::Case;
use datafusion::logical_expr::{Expr, LogicalPlanBuilder, Operator, binary_expr, in_list, lit, when};
use datafusion::prelude::{in_subquery, not_in_subquery, scalar_subquery};
use kql_binder::bound::{BinaryOp, BoundExpr, ExprKind, Relation};
use kql_syntax::Span;
use kql_types::KustoType;

pub(crate) use literal::scalar_value;
use membership::null_aware;
pub(crate) use membership::subquery_membership_as_value;

use crate::{PResult, Planner, column, ingestion_time_column, plan_error};

impl Planner<'_> {
    /// Lowers a bound expression evaluated over rows of `schema`.
    pub(crate) fn expr(&self, bound: &BoundExpr, schema: &DFSchema) -> PResult<Expr> {
        match &bound.kind {
            ExprKind::Column(name) => Ok(column(name)),
            // The docs: out of the context of a table's rows, `ingestion_time()` is null.
            ExprKind::IngestionTime => Ok(ingestion_time_column(schema)
                .unwrap_or_else(|| lit(ScalarValue::TimestampNanosecond(None, None)))),
            ExprKind::Literal(value) => Ok(lit(scalar_value(value, bound.span)?)),
            ExprKind::Binary { op, left, right } => match op {
                BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => {
                    self.arithmetic(*op, left, right, bound.ty, schema)
                }
                BinaryOp::Eq | BinaryOp::NotEq if left.ty != KustoType::String => {
                    let l = self.expr(left, schema)?;
                    let r = self.expr(right, schema)?;
                    Ok(null_equality(*op == BinaryOp::NotEq, l, r))
                }
                _ => {
                    let l = self.expr(left, schema)?;
                    let r = self.expr(right, schema)?;
                    Ok(binary_expr(l, comparison_operator(*op), r))
                }
            },
            ExprKind::Not(inner) => Ok(Expr::Not(Box::new(self.expr(inner, schema)?))),
            ExprKind::Negate(inner) => Ok(Expr::Negative(Box::new(self.expr(inner, schema)?))),
            ExprKind::InList {
                expr,
                list,
                negated,
                case_sensitive,
            } => {
                let target = self.expr(expr, schema)?;
                let values = list
                    .iter()
                    .map(|v| self.expr(v, schema))
                    .collect::<PResult<Vec<_>>>()?;
                if *case_sensitive {
                    let found = in_list(target.clone(), values, *negated);
                    return Ok(null_aware(target, found, *negated));
                }
                let mut args = vec![target];
                args.extend(values);
                let types = std::iter::once(expr.ty)
                    .chain(list.iter().map(|v| v.ty))
                    .collect();
                let found = self.call_function("in_ci", args, types, KustoType::Bool, bound.span)?;
                Ok(if *negated {
                    Expr::Not(Box::new(found))
                } else {
                    found
                })
            }
            ExprKind::InRelation {
                expr,
                relation,
                negated,
            } => {
                let target = self.expr(expr, schema)?;
                let subquery = Arc::new(self.first_column(relation, None, bound.span)?);
                let found = if *negated {
                    not_in_subquery(target.clone(), subquery)
                } else {
                    in_subquery(target.clone(), subquery)
                };
                Ok(null_aware(target, found, *negated))
            }
            ExprKind::Call { function, args } => self.function(function, args, bound, schema),
            ExprKind::Case { branches, otherwise } => {
                let mut builder: Option<datafusion::logical_expr::conditional_expressions::CaseBuilder> =
                    None;
                for (condition, value) in branches {
                    let condition = self.expr(condition, schema)?;
                    let value = self.expr(value, schema)?;
                    builder = Some(match builder {
                        None => when(condition, value),
                        Some(mut b) => {
                            b.when(condition, value);
                            b
                        }
                    });
                }
                let otherwise = self.expr(otherwise, schema)?;
                match builder {
                    Some(mut b) => b.otherwise(otherwise).map_err(|e| plan_error(e, bound.span)),
                    None => Ok(otherwise),
                }
            }
            // Window functions are computed as columns beforehand (see `operators::window`); one that
            // gets here sits where no serialized order is defined.
            ExprKind::Window(_) => Err(kql_syntax::Diagnostic::not_supported(
                "a window function here (only in `extend`, `project`, `serialize` and `where`)",
                bound.span,
            )),
            ExprKind::ScalarSubquery(relation) => Ok(scalar_subquery(Arc::new(self.first_column(
                relation,
                Some(1),
                bound.span,
            )?))),
        }
    }

    /// A relation's first column only (optionally its first rows), for subqueries.
    fn first_column(
        &self,
        relation: &Relation,
        limit: Option<usize>,
        span: Span,
    ) -> PResult<datafusion::logical_expr::LogicalPlan> {
        let plan = self.relation(relation)?;
        // A name of its own: the subquery may read the same table as the outer query, and a
        // decorrelated `in` joins the two on this column, which must not be ambiguous.
        let first = relation
            .columns
            .first()
            .map(|c| column(&c.name))
            .unwrap_or_else(|| lit(0))
            .alias("__kql_subquery_value");
        let mut builder = LogicalPlanBuilder::from(plan)
            .project(vec![first])
            .map_err(|e| plan_error(e, span))?;
        if let Some(limit) = limit {
            builder = builder.limit(0, Some(limit)).map_err(|e| plan_error(e, span))?;
        }
        builder.build().map_err(|e| plan_error(e, span))
    }
}

/// `l == r` (`l != r` when `negated`) with Kusto's null rule, unlike SQL's (the "Null values" page:
/// "Applying the equality operator to a null value and a non-null value yields `bool(false)`", the
/// inequality operator `bool(true)`, and two nulls `bool(null)`): so `where port != 443` keeps the
/// rows whose port is null. Strings are never null in Kusto and keep SQL's plain comparison.
fn null_equality(negated: bool, l: Expr, r: Expr) -> Expr {
    let distinct = if negated {
        binary_expr(l.clone(), Operator::IsDistinctFrom, r.clone())
    } else {
        binary_expr(l.clone(), Operator::IsNotDistinctFrom, r.clone())
    };
    let never_null = |e: &Expr| matches!(e, Expr::Literal(value, _) if !value.is_null());
    if never_null(&l) || never_null(&r) {
        return distinct;
    }
    let both_null = l.is_null().and(r.is_null());
    Expr::Case(Case::new(
        None,
        vec![(Box::new(both_null), Box::new(lit(ScalarValue::Boolean(None))))],
        Some(Box::new(distinct)),
    ))
}

fn comparison_operator(op: BinaryOp) -> Operator {
    match op {
        BinaryOp::Eq => Operator::Eq,
        BinaryOp::NotEq => Operator::NotEq,
        BinaryOp::Lt => Operator::Lt,
        BinaryOp::LtEq => Operator::LtEq,
        BinaryOp::Gt => Operator::Gt,
        BinaryOp::GtEq => Operator::GtEq,
        BinaryOp::And => Operator::And,
        BinaryOp::Or => Operator::Or,
        BinaryOp::Add => Operator::Plus,
        BinaryOp::Sub => Operator::Minus,
        BinaryOp::Mul => Operator::Multiply,
        BinaryOp::Div => Operator::Divide,
        BinaryOp::Mod => Operator::Modulo,
    }
}
