//! `where`: rows whose predicate is true; a null predicate (a comparison with null) drops the row.

use datafusion::logical_expr::LogicalPlan;
use kql_binder::bound::{BoundExpr, Relation};
use kql_syntax::Span;

use super::build;
use crate::{PResult, Planner};

impl Planner<'_> {
    pub(crate) fn filter(&self, input: &Relation, predicate: &BoundExpr, span: Span) -> PResult<LogicalPlan> {
        let plan = self.rows(input)?;
        let predicate = self.expr(predicate, plan.schema())?;
        build(plan, span, |b| b.filter(predicate))
    }
}
