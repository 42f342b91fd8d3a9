//! `sort`/`order`, `top` (a sort with a limit) and `count`.

use datafusion::common::DFSchema;
use datafusion::functions_aggregate::expr_fn::count;
use datafusion::logical_expr::{LogicalPlan, SortExpr, lit};
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
        let plan = self.rows(input)?;
        // DataFusion's top-k asserts a positive k; no rows need no sort.
        if limit == Some(0) {
            return build(plan, span, |b| b.limit(0, Some(0)));
        }
        let sorts = self.sort_exprs(keys, plan.schema())?;
        let fetch = limit.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
        build(plan, span, |b| b.sort_with_limit(sorts, fetch))
    }

    /// The sort expressions of `sort`/`top` keys over `schema`.
    pub(crate) fn sort_exprs(&self, keys: &[SortKey], schema: &DFSchema) -> PResult<Vec<SortExpr>> {
        keys.iter()
            .map(|key| {
                Ok(self
                    .expr(&key.expr, schema)?
                    .sort(!key.descending, key.nulls_first))
            })
            .collect()
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
