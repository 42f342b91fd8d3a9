//! Relational operators, one file per construct; [`Planner::relation`] dispatches.

mod join;
mod make_series;
mod mv_apply;
mod mv_expand;
mod parse;
mod project;
mod scan;
mod sort;
mod sources;
mod summarize;
mod top_nested;
mod union;
mod where_;
mod window;

use datafusion::logical_expr::{LogicalPlan, LogicalPlanBuilder};
use kql_binder::bound::{Relation, RelationKind};
use kql_syntax::{Diagnostic, Span};

use crate::{PResult, Planner, conform_rows, plan_error};

/// Builds with a builder step, mapping DataFusion errors to a diagnostic at `span`.
pub(crate) fn build(
    plan: LogicalPlan,
    span: Span,
    step: impl FnOnce(LogicalPlanBuilder) -> datafusion::common::Result<LogicalPlanBuilder>,
) -> PResult<LogicalPlan> {
    step(LogicalPlanBuilder::from(plan))
        .and_then(|b| b.build())
        .map_err(|e| plan_error(e, span))
}

impl Planner<'_> {
    /// Plans a relation; the plan's columns are the relation's, by name, type and order.
    pub(crate) fn relation(&self, relation: &Relation) -> PResult<LogicalPlan> {
        self.planned(relation, false)
    }

    /// Plans a relation for an operator that keeps its input's rows (`where`, `extend`, `sort`,
    /// ...): the relation's columns, then the hidden ingestion-time column when the rows come from
    /// a table that has one and every operator on the way keeps rows too.
    pub(crate) fn rows(&self, relation: &Relation) -> PResult<LogicalPlan> {
        self.planned(relation, true)
    }

    fn planned(&self, relation: &Relation, keep_ingestion: bool) -> PResult<LogicalPlan> {
        let span = relation.span;
        let keeps_rows = !window::uses_windows(&relation.kind)
            && matches!(
                relation.kind,
                RelationKind::Table { .. }
                    | RelationKind::Filter { .. }
                    | RelationKind::Project { .. }
                    | RelationKind::Sort { .. }
                    | RelationKind::Take { .. }
                    | RelationKind::Union { .. }
            );
        let plan = match &relation.kind {
            kind if window::uses_windows(kind) => self.windowed(relation)?,
            RelationKind::Table { name } => self.table(name, span)?,
            RelationKind::ExternalData { uris, options } => self.external_data(relation, uris, options)?,
            RelationKind::Values { rows } => self.values(relation, rows)?,
            RelationKind::SingleRow => LogicalPlanBuilder::empty(true)
                .build()
                .map_err(|e| plan_error(e, span))?,
            RelationKind::Range { from, to, step } => self.range(relation, from, to, step)?,
            RelationKind::Filter { input, predicate } => self.filter(input, predicate, span)?,
            RelationKind::Project { input, exprs } => self.project(relation, input, exprs)?,
            RelationKind::Summarize {
                input,
                keys,
                aggregates,
            } => self.summarize(relation, input, keys, aggregates)?,
            RelationKind::ArgExtreme {
                input,
                keys,
                by,
                max,
                outputs,
            } => self.arg_extreme(relation, input, keys, by, *max, outputs)?,
            RelationKind::Join { .. } => self.join(relation)?,
            RelationKind::Union { inputs } => self.union(inputs, span)?,
            RelationKind::Distinct { input } => build(self.relation(input)?, span, |b| b.distinct())?,
            RelationKind::Take { input, count } => {
                let count = usize::try_from(*count).unwrap_or(usize::MAX);
                build(self.rows(input)?, span, |b| b.limit(0, Some(count)))?
            }
            RelationKind::Sort { input, keys, limit } => self.sort(input, keys, *limit, span)?,
            RelationKind::Count { input } => self.count(input, span)?,
            RelationKind::MvExpand {
                input,
                limit,
                item_index,
                ..
            } => self.mv_expand(relation, input, *limit, *item_index)?,
            RelationKind::MvApply {
                expand,
                subquery,
                output,
            } => self.mv_apply(relation, expand, subquery, output)?,
            RelationKind::ImplicitInput => {
                return Err(Diagnostic::internal(
                    "a subquery's implicit input outside its operator",
                    span,
                ));
            }
            RelationKind::Parse {
                input,
                source,
                regex,
                captures,
                drop_unmatched,
            } => self.parse(relation, input, source, regex, captures, *drop_unmatched)?,
            RelationKind::TopNested { input, levels } => self.top_nested(relation, input, levels)?,
            RelationKind::MakeSeries {
                input,
                keys,
                aggregates,
                axis,
                nonempty,
            } => self.make_series(relation, input, keys, aggregates, axis, *nonempty)?,
            RelationKind::Scan {
                input,
                declared,
                steps,
                match_id,
            } => self.scan(relation, input, declared, steps, *match_id)?,
        };
        conform_rows(plan, &relation.columns, keep_ingestion && keeps_rows, span)
    }
}
