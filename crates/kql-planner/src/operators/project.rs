//! `project`/`extend`/`print` and every other column-by-column projection the binder produced.

use datafusion::common::DFSchema;
use datafusion::logical_expr::{Expr, LogicalPlan};
use kql_binder::bound::{BoundExpr, Relation};
use kql_binder::catalog::Column;

use super::build;
use crate::expr::subquery_membership_as_value;
use crate::{PResult, Planner, cast_to, ingestion_time_column, plan_error};

impl Planner<'_> {
    pub(crate) fn project(
        &self,
        relation: &Relation,
        input: &Relation,
        exprs: &[BoundExpr],
    ) -> PResult<LogicalPlan> {
        let plan = self.rows(input)?;
        let mut exprs = self.projection(&relation.columns, exprs, plan.schema())?;
        exprs.extend(ingestion_time_column(plan.schema()));
        build(plan, relation.span, |b| b.project(exprs))
    }

    /// One expression per output column, cast to the column's Arrow type and named.
    pub(crate) fn projection(
        &self,
        columns: &[Column],
        exprs: &[BoundExpr],
        schema: &DFSchema,
    ) -> PResult<Vec<Expr>> {
        exprs
            .iter()
            .zip(columns)
            .map(|(expr, column)| {
                let lowered = subquery_membership_as_value(self.expr(expr, schema)?)
                    .map_err(|e| plan_error(e, expr.span))?;
                Ok(cast_to(lowered, &column.ty.arrow_type(), schema).alias(&column.name))
            })
            .collect()
    }
}
