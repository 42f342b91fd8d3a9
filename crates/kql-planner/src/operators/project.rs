//! `project`/`extend`/`print` and every other column-by-column projection the binder produced.

use datafusion::logical_expr::LogicalPlan;
use kql_binder::bound::{BoundExpr, Relation};

use super::build;
use crate::{PResult, Planner, cast_to};

impl Planner<'_> {
    pub(crate) fn project(
        &self,
        relation: &Relation,
        input: &Relation,
        exprs: &[BoundExpr],
    ) -> PResult<LogicalPlan> {
        let plan = self.relation(input)?;
        let schema = plan.schema().clone();
        let exprs = exprs
            .iter()
            .zip(&relation.columns)
            .map(|(expr, column)| {
                let lowered = self.expr(expr, &schema)?;
                Ok(cast_to(lowered, &column.ty.arrow_type(), &schema).alias(&column.name))
            })
            .collect::<crate::PResult<Vec<_>>>()?;
        build(plan, relation.span, |b| b.project(exprs))
    }
}
