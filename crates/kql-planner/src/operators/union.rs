//! `union`: the binder already projected every input onto the union's columns; append them.

use datafusion::logical_expr::{LogicalPlan, LogicalPlanBuilder};
use kql_binder::bound::Relation;
use kql_syntax::{Diagnostic, DiagnosticKind, Span};

use crate::{PResult, Planner, plan_error};

impl Planner<'_> {
    pub(crate) fn union(&self, inputs: &[Relation], span: Span) -> PResult<LogicalPlan> {
        let mut plans = inputs.iter().map(|input| self.relation(input));
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
