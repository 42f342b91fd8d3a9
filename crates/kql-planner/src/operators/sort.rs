//! `sort`/`order`, `top` (a sort with a limit) and `count`.

use datafusion::common::DFSchema;
use datafusion::functions::math::expr_fn::isnan;
use datafusion::functions_aggregate::expr_fn::count;
use datafusion::logical_expr::{LogicalPlan, SortExpr, lit, when};
use kql_binder::bound::{Relation, SortKey};
use kql_syntax::Span;
use kql_types::KustoType;

use super::build;
use crate::{PResult, Planner, plan_error};

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
    ///
    /// A real key sorts NaN with the nulls, as the sort page's table has it (ascending with nulls
    /// first: `null, NaN, -inf, -5, 0, 5, +inf`; descending with nulls last: `+inf, 5, 0, -5, NaN,
    /// null`), where Arrow orders NaN above +inf: a class (null, NaN, number) is sorted first.
    pub(crate) fn sort_exprs(&self, keys: &[SortKey], schema: &DFSchema) -> PResult<Vec<SortExpr>> {
        let mut sorts = Vec::with_capacity(keys.len());
        for key in keys {
            let value = self.expr(&key.expr, schema)?;
            if key.expr.ty == KustoType::Real {
                let (null, nan, number) = if key.nulls_first { (0, 1, 2) } else { (2, 1, 0) };
                let class = when(value.clone().is_null(), lit(null))
                    .when(isnan(value.clone()), lit(nan))
                    .otherwise(lit(number))
                    .map_err(|e| plan_error(e, key.expr.span))?;
                sorts.push(class.sort(true, false));
            }
            sorts.push(value.sort(!key.descending, key.nulls_first));
        }
        Ok(sorts)
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
