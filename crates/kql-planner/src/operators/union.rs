//! `union`: the binder already projected every input onto the union's columns; append them.

use datafusion::common::ScalarValue;
use datafusion::logical_expr::{Expr, LogicalPlan, LogicalPlanBuilder, lit};
use kql_binder::bound::Relation;
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::INGESTION_TIME_COLUMN;

use super::build;
use crate::{PResult, Planner, ingestion_time_column, plan_error};

impl Planner<'_> {
    /// Inputs keep their hidden ingestion time when any has one; the others get a null one.
    pub(crate) fn union(&self, inputs: &[Relation], span: Span) -> PResult<LogicalPlan> {
        let plans = inputs
            .iter()
            .map(|input| self.rows(input))
            .collect::<PResult<Vec<_>>>()?;
        let ingested = plans.iter().any(|p| ingestion_time_column(p.schema()).is_some());
        let mut plans = plans.into_iter().map(|plan| {
            if !ingested || ingestion_time_column(plan.schema()).is_some() {
                return Ok(plan);
            }
            let mut exprs: Vec<Expr> = plan.schema().columns().into_iter().map(Expr::Column).collect();
            exprs.push(lit(ScalarValue::TimestampNanosecond(None, None)).alias(INGESTION_TIME_COLUMN));
            build(plan, span, |b| b.project(exprs))
        });
        let first = plans
            .next()
            .ok_or_else(|| Diagnostic::new(DiagnosticKind::Semantic, "union has no inputs", span))??;
        let mut builder = LogicalPlanBuilder::from(first);
        for plan in plans {
            builder = builder.union(plan?).map_err(|e| plan_error(e, span))?;
        }
        builder.build().map_err(|e| plan_error(e, span))
    }
}
