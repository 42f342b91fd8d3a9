//! `join` and `lookup` with Kusto's kinds. `innerunique` (the default) first keeps one left row per
//! key, then joins inner. Sides are aliased `left`/`right` so same-named columns stay apart; the
//! unmatched side of an outer join reads "" for strings, never null.

use datafusion::common::{Column as DFColumn, NullEquality};
use datafusion::functions::expr_fn::coalesce;
use datafusion::functions_window::expr_fn::row_number;
use datafusion::logical_expr::{Expr, ExprFunctionExt, JoinType, LogicalPlan, lit};
use kql_binder::bound::{JoinKind, JoinSide, Relation, RelationKind};
use kql_syntax::Diagnostic;
use kql_types::KustoType;

use super::build;
use crate::{PResult, Planner, column, plan_error};

const LEFT: &str = "left";
const RIGHT: &str = "right";

fn join_type(kind: JoinKind) -> JoinType {
    match kind {
        JoinKind::InnerUnique | JoinKind::Inner => JoinType::Inner,
        JoinKind::LeftOuter => JoinType::Left,
        JoinKind::RightOuter => JoinType::Right,
        JoinKind::FullOuter => JoinType::Full,
        JoinKind::LeftAnti => JoinType::LeftAnti,
        JoinKind::RightAnti => JoinType::RightAnti,
        JoinKind::LeftSemi => JoinType::LeftSemi,
        JoinKind::RightSemi => JoinType::RightSemi,
    }
}

impl Planner<'_> {
    pub(crate) fn join(&self, relation: &Relation) -> PResult<LogicalPlan> {
        let RelationKind::Join {
            left,
            right,
            kind,
            keys,
            condition,
            output,
        } = &relation.kind
        else {
            return Err(Diagnostic::internal(
                "a join planned from another relation",
                relation.span,
            ));
        };
        let kind = *kind;
        let span = relation.span;
        let mut left_plan = self.relation(left)?;
        if kind == JoinKind::InnerUnique {
            left_plan = self.one_row_per_key(left_plan, left, keys, span)?;
        }
        let right_plan = self.relation(right)?;
        let right_plan = build(right_plan, span, |b| b.alias(RIGHT))?;
        let left_keys: Vec<DFColumn> = keys
            .iter()
            .map(|(l, _)| DFColumn::new(Some(LEFT), &left.columns[*l].name))
            .collect();
        let right_keys: Vec<DFColumn> = keys
            .iter()
            .map(|(_, r)| DFColumn::new(Some(RIGHT), &right.columns[*r].name))
            .collect();
        // Which side may be missing in a joined row: its strings read "".
        let (left_nullable, right_nullable) = match kind {
            JoinKind::LeftOuter => (false, true),
            JoinKind::RightOuter => (true, false),
            JoinKind::FullOuter => (true, true),
            _ => (false, false),
        };
        let finals: Vec<Expr> = output
            .iter()
            .zip(&relation.columns)
            .map(|(source, out)| {
                let (qualifier, side, nullable) = match source.side {
                    JoinSide::Left => (LEFT, left, left_nullable),
                    JoinSide::Right => (RIGHT, right, right_nullable),
                };
                let from = &side.columns[source.index];
                let value = Expr::Column(DFColumn::new(Some(qualifier), &from.name));
                let value = if nullable && from.ty == KustoType::String {
                    coalesce(vec![value, lit("")])
                } else {
                    value
                };
                value.alias(&out.name)
            })
            .collect();
        let filter = condition
            .as_ref()
            .map(|condition| {
                let columns: Vec<&kql_binder::catalog::Column> = condition
                    .args
                    .iter()
                    .map(|arg| match arg.side {
                        JoinSide::Left => &left.columns[arg.index],
                        JoinSide::Right => &right.columns[arg.index],
                    })
                    .collect();
                let args = condition
                    .args
                    .iter()
                    .zip(&columns)
                    .map(|(arg, column)| {
                        let qualifier = match arg.side {
                            JoinSide::Left => LEFT,
                            JoinSide::Right => RIGHT,
                        };
                        Expr::Column(DFColumn::new(Some(qualifier), &column.name))
                    })
                    .collect();
                let types = columns.iter().map(|column| column.ty).collect();
                let result = match condition.at_most {
                    Some(_) => KustoType::Real,
                    None => KustoType::Bool,
                };
                let value = self.call_function(condition.function, args, types, result, span)?;
                Ok(match condition.at_most {
                    Some(limit) => value.lt_eq(lit(limit)),
                    None => value,
                })
            })
            .transpose()?;
        build(left_plan, span, |b| {
            b.alias(LEFT)?
                .join_detailed(
                    right_plan,
                    join_type(kind),
                    (left_keys, right_keys),
                    filter,
                    NullEquality::NullEqualsNothing,
                )?
                .project(finals)
        })
    }

    /// Keeps one row per join key (the first the window numbering meets), for `innerunique`.
    fn one_row_per_key(
        &self,
        plan: LogicalPlan,
        left: &Relation,
        keys: &[(usize, usize)],
        span: kql_syntax::Span,
    ) -> PResult<LogicalPlan> {
        let partition = keys.iter().map(|(l, _)| column(&left.columns[*l].name)).collect();
        let rank = row_number()
            .partition_by(partition)
            .build()
            .map_err(|e| plan_error(e, span))?
            .alias("__unique");
        let originals: Vec<Expr> = left.columns.iter().map(|c| column(&c.name)).collect();
        build(plan, span, |b| {
            b.window(vec![rank])?
                .filter(column("__unique").eq(lit(1u64)))?
                .project(originals)
        })
    }
}
