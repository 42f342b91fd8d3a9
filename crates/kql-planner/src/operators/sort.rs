//! `sort`/`order`, `top` (a sort with a limit) and `count`.

use datafusion::functions_aggregate::expr_fn::count;
use datafusion::logical_expr::{LogicalPlan, lit};
use kql_binder::bound::{Relation, SortKey};
use kql_syntax::Span;

use super::build;
use crate::{PResult, Planner};

impl Planner<'_> {
    pub(crate) fn sort(
        &self,
        input: &Relation,
        keys: &[SortKey],
        limit: Option<u64>,
        span: Span,
    ) -> PResult<LogicalPlan> {
        let plan = self.relation(input)?;
        let schema = plan.schema().clone();
        let sorts = keys
            .iter()
            .map(|key| {
                Ok(self
                    .expr(&key.expr, &schema)?
                    .sort(!key.descending, key.nulls_first))
            })
            .collect::<PResult<Vec<_>>>()?;
        let fetch = limit.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
        build(plan, span, |b| b.sort_with_limit(sorts, fetch))
    }

    pub(crate) fn count(&self, input: &Relation, span: Span) -> PResult<LogicalPlan> {
        let plan = self.relation(input)?;
        build(plan, span, |b| {
            b.aggregate(
                Vec::<datafusion::logical_expr::Expr>::new(),
                vec![count(lit(1)).alias("Count")],
            )
        })
    }
}
