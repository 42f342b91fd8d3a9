//! `mv-apply`: a subquery run once per input row, over that row's expansion (its subtable).
//!
//! Input rows are numbered ([`ROW`]) and expanded together; the subquery is then planned "per row":
//! every operator keeps [`ROW`] and works within each row's rows (`top`/`take` rank within the row,
//! `summarize` groups by it as well), and [`ORDER`] keeps each row's result in subtable order. The
//! non-expanded input columns are joined back by row number, and the result is ordered by input row,
//! as Kusto preserves the input's order.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::JoinType;
use datafusion::functions_aggregate::expr_fn::count;
use datafusion::functions_window::expr_fn::row_number;
use datafusion::logical_expr::{Expr, ExprFunctionExt, LogicalPlan, LogicalPlanBuilder, SortExpr, cast, lit};
use kql_binder::bound::{JoinOutput, JoinSide, Relation, RelationKind};
use kql_binder::catalog::Column;
use kql_syntax::{Diagnostic, Span};

use super::build;
use super::mv_expand::Expansion;
use crate::{PResult, Planner, cast_to, column, plan_error};

/// The number of the input row a subtable row comes from.
const ROW: &str = "__kql_apply_row";
/// The order of rows within one input row's result.
const ORDER: &str = "__kql_apply_order";
/// An element's index in its array, while expanding.
const ITEM: &str = "__kql_apply_item";
/// The input row number on the joined-back side.
const INPUT_ROW: &str = "__kql_apply_input_row";
/// A row's rank within its input row, while ranking.
const RANK: &str = "__kql_apply_rank";

impl Planner<'_> {
    pub(crate) fn mv_apply(
        &self,
        relation: &Relation,
        expand: &Relation,
        subquery: &Relation,
        output: &[JoinOutput],
    ) -> PResult<LogicalPlan> {
        let span = relation.span;
        let RelationKind::MvExpand {
            input,
            limit,
            item_index,
            ..
        } = &expand.kind
        else {
            return Err(Diagnostic::internal("mv-apply without an expansion", span));
        };
        if limit.is_some() {
            return Err(Diagnostic::not_supported("mv-apply limit", span));
        }
        let expansion =
            Expansion::of(expand).ok_or_else(|| Diagnostic::internal("mv-apply expansion", span))?;
        let numbered = build(self.relation(input)?, span, |b| {
            b.window(vec![row_number().alias(ROW)])
        })?;
        let index_name = match item_index {
            true => expand.columns.last().map_or(ITEM, |c| c.name.as_str()),
            false => ITEM,
        };
        let expanded = self.expand(numbered.clone(), &expansion, Some(index_name))?;
        let subtable = with_row_keys(
            expanded,
            &expand.columns,
            cast(column(index_name), DataType::Int64),
            span,
        )?;
        let result = self.per_row(subquery, &subtable)?;

        let carried: Vec<&str> = output
            .iter()
            .filter(|o| o.side == JoinSide::Left)
            .map(|o| input.columns[o.index].name.as_str())
            .collect();
        let joined = if carried.is_empty() {
            result
        } else {
            let mut kept: Vec<Expr> = carried.iter().map(|name| column(name)).collect();
            kept.push(column(ROW).alias(INPUT_ROW));
            let rows = build(numbered, span, |b| b.project(kept))?;
            build(result, span, |b| {
                b.join(rows, JoinType::Inner, (vec![ROW], vec![INPUT_ROW]), None)
            })?
        };
        let outputs: Vec<Expr> = output
            .iter()
            .map(|o| match o.side {
                JoinSide::Left => column(&input.columns[o.index].name),
                JoinSide::Right => column(&subquery.columns[o.index].name),
            })
            .collect();
        let order = vec![column(ROW).sort(true, false), column(ORDER).sort(true, false)];
        build(joined, span, |b| b.sort(order)?.project(outputs))
    }

    /// Plans a subquery relation once per input row: its columns, then [`ROW`] and [`ORDER`].
    fn per_row(&self, relation: &Relation, subtable: &LogicalPlan) -> PResult<LogicalPlan> {
        let span = relation.span;
        let refused = || {
            Diagnostic::not_supported(
                format!("{} inside an mv-apply subquery", describe(&relation.kind)),
                span,
            )
        };
        let plan = match &relation.kind {
            RelationKind::ImplicitInput => subtable.clone(),
            RelationKind::Filter { input, predicate } if !predicate.has_window() => {
                let plan = self.per_row(input, subtable)?;
                let predicate = self.expr(predicate, plan.schema())?;
                build(plan, span, |b| b.filter(predicate))?
            }
            RelationKind::Project { input, exprs } if !exprs.iter().any(|e| e.has_window()) => {
                let plan = self.per_row(input, subtable)?;
                let mut projection = self.projection(&relation.columns, exprs, plan.schema())?;
                projection.extend([column(ROW), column(ORDER)]);
                return build(plan, span, |b| b.project(projection));
            }
            RelationKind::Sort { input, keys, limit } => {
                let plan = self.per_row(input, subtable)?;
                let sorts = self.sort_exprs(keys, plan.schema())?;
                return ranked(plan, &relation.columns, sorts, *limit, span);
            }
            RelationKind::Take { input, count } => {
                let plan = self.per_row(input, subtable)?;
                return ranked(plan, &relation.columns, Vec::new(), Some(*count), span);
            }
            RelationKind::Summarize {
                input,
                keys,
                aggregates,
            } => {
                let plan = self.per_row(input, subtable)?;
                // A row's lists follow its subtable order (sorted, when the subquery sorts).
                let order = [column(ORDER).sort(true, false)];
                let (groups, aggregates) =
                    self.summary(relation, keys, aggregates, plan.schema(), Some(&order))?;
                self.per_row_aggregate(plan, groups, aggregates, subtable, span)?
            }
            RelationKind::Count { input } => {
                let plan = self.per_row(input, subtable)?;
                let counted = vec![count(lit(1)).alias("Count")];
                self.per_row_aggregate(plan, Vec::new(), counted, subtable, span)?
            }
            RelationKind::Distinct { input } => {
                let plan = self.per_row(input, subtable)?;
                let mut distinct: Vec<Expr> = input.columns.iter().map(|c| column(&c.name)).collect();
                distinct.push(column(ROW));
                build(plan, span, |b| b.project(distinct)?.distinct())?
            }
            RelationKind::MvExpand {
                input,
                limit: None,
                item_index,
                ..
            } => {
                let expansion = Expansion::of(relation).ok_or_else(refused)?;
                let index_name = match item_index {
                    true => relation.columns.last().map_or(ITEM, |c| c.name.as_str()),
                    false => ITEM,
                };
                let plan = self.expand(self.per_row(input, subtable)?, &expansion, Some(index_name))?;
                let within = vec![
                    column(ORDER).sort(true, false),
                    column(index_name).sort(true, false),
                ];
                return ranked(plan, &relation.columns, within, None, span);
            }
            _ => return Err(refused()),
        };
        // Operators whose result has no order within a row (`summarize`, `distinct`) give every row
        // the same order; the row number itself, as DataFusion 55 mishandles sorting on a constant
        // after a join.
        let order = match plan.schema().has_column_with_unqualified_name(ORDER) {
            true => column(ORDER),
            false => cast(column(ROW), DataType::Int64),
        };
        with_row_keys(plan, &relation.columns, order, span)
    }

    /// `summarize` within each input row: grouped by the keys and the row. Without keys, Kusto's
    /// `summarize` gives one row even for no input, so a row whose subtable the subquery emptied gets
    /// the aggregates of no rows. Output: the keys, the aggregates, then [`ROW`].
    fn per_row_aggregate(
        &self,
        plan: LogicalPlan,
        groups: Vec<Expr>,
        aggregates: Vec<Expr>,
        subtable: &LogicalPlan,
        span: Span,
    ) -> PResult<LogicalPlan> {
        let keyless = groups.is_empty();
        let mut by_row = groups;
        by_row.push(column(ROW));
        let names: Vec<String> = aggregates.iter().map(|a| a.schema_name().to_string()).collect();
        let grouped = build(plan.clone(), span, |b| b.aggregate(by_row, aggregates.clone()))?;
        if !keyless {
            return Ok(grouped);
        }
        let mut in_order: Vec<Expr> = names.iter().map(|n| column(n)).collect();
        in_order.push(column(ROW));
        let grouped = build(grouped, span, |b| b.project(in_order.clone()))?;
        let present = build(grouped.clone(), span, |b| {
            b.project(vec![column(ROW).alias(INPUT_ROW)])
        })?;
        let of_nothing = build(plan, span, |b| {
            b.filter(lit(false))?.aggregate(Vec::<Expr>::new(), aggregates)
        })?;
        let emptied = build(subtable.clone(), span, |b| {
            b.project(vec![column(ROW)])?
                .distinct()?
                .join(present, JoinType::LeftAnti, (vec![ROW], vec![INPUT_ROW]), None)?
                .cross_join(of_nothing)?
                .project(in_order)
        })?;
        build(grouped, span, |b| b.union(emptied))
    }
}

/// Numbers each input row's rows in `order` (then in their current order) as the new [`ORDER`],
/// keeping the first `limit` of each row when given.
fn ranked(
    plan: LogicalPlan,
    columns: &[Column],
    mut order: Vec<SortExpr>,
    limit: Option<u64>,
    span: Span,
) -> PResult<LogicalPlan> {
    order.push(column(ORDER).sort(true, false));
    let rank = row_number()
        .partition_by(vec![column(ROW)])
        .order_by(order)
        .build()
        .map_err(|e| plan_error(e, span))?
        .alias(RANK);
    let mut builder = LogicalPlanBuilder::from(plan)
        .window(vec![rank])
        .map_err(|e| plan_error(e, span))?;
    if let Some(limit) = limit {
        builder = builder
            .filter(column(RANK).lt_eq(lit(limit)))
            .map_err(|e| plan_error(e, span))?;
    }
    let plan = builder.build().map_err(|e| plan_error(e, span))?;
    with_row_keys(plan, columns, cast(column(RANK), DataType::Int64), span)
}

/// A per-row plan's final shape: the relation's columns (cast to their Arrow types), [`ROW`], and
/// `order` as [`ORDER`].
fn with_row_keys(plan: LogicalPlan, columns: &[Column], order: Expr, span: Span) -> PResult<LogicalPlan> {
    let schema = plan.schema().clone();
    let mut exprs: Vec<Expr> = columns
        .iter()
        .map(|c| cast_to(column(&c.name), &c.ty.arrow_type(), &schema).alias(&c.name))
        .collect();
    exprs.push(column(ROW));
    exprs.push(order.alias(ORDER));
    build(plan, span, |b| b.project(exprs))
}

/// The operator a relation comes from, for refusals.
fn describe(kind: &RelationKind) -> &'static str {
    match kind {
        RelationKind::Join { .. } => "`join`",
        RelationKind::Union { .. } => "`union`",
        RelationKind::ArgExtreme { .. } => "`arg_max`/`arg_min`",
        RelationKind::Parse { .. } => "`parse`",
        RelationKind::MvApply { .. } => "a nested `mv-apply`",
        RelationKind::MvExpand { .. } => "`mv-expand` with a limit",
        RelationKind::Filter { .. } | RelationKind::Project { .. } => "a window function",
        _ => "a subquery that does not start from the expanded rows",
    }
}
