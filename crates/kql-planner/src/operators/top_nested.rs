//! `top-nested`: hierarchical aggregation, level by level.
//!
//! The rows still in play are grouped by the keys of the levels so far; each group's value is ranked
//! within its parent group and the first N groups are kept; the rows of the kept groups (with the
//! level's value) go on to the next level. The last level's kept groups are the result. A `with
//! others` level adds, per parent group, a row aggregating the rows of the groups not kept; such a row
//! is not nested further: a later level shows its own `with others` key and the same rows' value, or
//! an empty key and a null value when it has no `with others` (as in the docs' example, where the
//! "All Other States" row shows no `Source`). Keys compare null-equal, as `summarize` groups them.

use datafusion::common::{Column as DFColumn, NullEquality};
use datafusion::functions_aggregate::expr_fn::count;
use datafusion::functions_window::expr_fn::row_number;
use datafusion::logical_expr::{Expr, ExprFunctionExt, JoinType, LogicalPlan, lit};
use kql_binder::bound::{Relation, TopNestedLevel, Value};
use kql_syntax::{Diagnostic, Span};
use kql_types::KustoType;

use super::build;
use crate::expr::scalar_value;
use crate::{PResult, Planner, column, conform, plan_error};

/// The rows in play while the levels are planned.
const ROWS: &str = "__top_nested_rows";
/// The groups one level keeps.
const KEPT: &str = "__top_nested_kept";
const RANK: &str = "__top_nested_rank";
/// The number of rows behind a `with others` row: an empty remainder gives no row.
const REMAINING: &str = "__top_nested_remaining";

fn key(level: usize) -> String {
    format!("__top_nested_key{level}")
}

fn value(level: usize) -> String {
    format!("__top_nested_value{level}")
}

impl Planner<'_> {
    pub(crate) fn top_nested(
        &self,
        relation: &Relation,
        input: &Relation,
        levels: &[TopNestedLevel],
    ) -> PResult<LogicalPlan> {
        let span = relation.span;
        let plan = self.relation(input)?;
        let schema = plan.schema().clone();
        let mut carried: Vec<String> = input.columns.iter().map(|c| c.name.clone()).collect();
        let mut staged: Vec<Expr> = carried.iter().map(|name| column(name)).collect();
        for (index, level) in levels.iter().enumerate() {
            staged.push(self.expr(&level.key, &schema)?.alias(key(index)));
            carried.push(key(index));
        }
        let mut rows = build(plan, span, |b| b.project(staged))?;
        let mut results = Vec::new();
        for (index, level) in levels.iter().enumerate() {
            let kept = self.kept_groups(&rows, level, index, span)?;
            if levels[index..].iter().any(|l| l.others.is_some()) {
                let others = self.others(&rows, &kept, levels, index, span)?;
                results.push(conform(others, &relation.columns, span)?);
            }
            if index + 1 == levels.len() {
                let finals: Vec<Expr> = (0..levels.len())
                    .flat_map(|l| [column(&key(l)), column(&value(l))])
                    .collect();
                let top = build(kept, span, |b| b.project(finals))?;
                results.insert(0, conform(top, &relation.columns, span)?);
            } else {
                rows = keep_rows(rows, &carried, kept, index, span)?;
                carried.push(value(index));
            }
        }
        let mut results = results.into_iter();
        let first = results
            .next()
            .ok_or_else(|| Diagnostic::internal("top-nested without levels", span))?;
        results.try_fold(first, |all, more| build(all, span, |b| b.union(more)))
    }

    /// One level's groups, ranked within their parent group and cut to the level's limit: the keys
    /// of the levels so far, the values of the earlier levels, and this level's value.
    fn kept_groups(
        &self,
        rows: &LogicalPlan,
        level: &TopNestedLevel,
        index: usize,
        span: Span,
    ) -> PResult<LogicalPlan> {
        let mut groups: Vec<Expr> = (0..=index).map(|l| column(&key(l)).alias(key(l))).collect();
        groups.extend((0..index).map(|l| column(&value(l)).alias(value(l))));
        let aggregates = self.level_aggregates(level, rows.schema())?;
        let grouped = build(rows.clone(), span, |b| b.aggregate(groups.clone(), aggregates))?;
        let mut columns: Vec<Expr> = (0..=index).map(|l| column(&key(l))).collect();
        columns.extend((0..index).map(|l| column(&value(l))));
        columns.push(self.expr(&level.value, grouped.schema())?.alias(value(index)));
        let valued = build(grouped, span, |b| b.project(columns))?;
        let Some(limit) = level.limit else {
            return Ok(valued);
        };
        // Kusto's sort order: descending puts nulls last, ascending first. Ties go by key, so equal
        // values at the cut are kept in a reproducible way.
        let order = vec![
            column(&value(index)).sort(!level.descending, !level.descending),
            column(&key(index)).sort(true, true),
        ];
        let rank = row_number()
            .partition_by((0..index).map(|l| column(&key(l))).collect())
            .order_by(order)
            .build()
            .map_err(|e| plan_error(e, span))?
            .alias(RANK);
        let names = (0..=index).map(key).chain((0..=index).map(value));
        build(valued, span, |b| {
            b.window(vec![rank])?
                .filter(column(RANK).lt_eq(lit(limit)))?
                .project(names.map(|name| column(&name)))
        })
    }

    /// The level's aggregates over `schema`, each named as its value expression expects.
    fn level_aggregates(
        &self,
        level: &TopNestedLevel,
        schema: &datafusion::common::DFSchema,
    ) -> PResult<Vec<Expr>> {
        level
            .aggregates
            .iter()
            .map(|(name, call)| Ok(self.aggregate(call, schema)?.alias(name)))
            .collect()
    }

    /// The `with others` rows of level `index`: per group of the earlier levels, the rows outside the
    /// kept groups, shown with each later level's `with others` key and value.
    fn others(
        &self,
        rows: &LogicalPlan,
        kept: &LogicalPlan,
        levels: &[TopNestedLevel],
        index: usize,
        span: Span,
    ) -> PResult<LogicalPlan> {
        let remainder = join_on_keys(rows.clone(), kept.clone(), JoinType::LeftAnti, index, span)?;
        let mut groups: Vec<Expr> = (0..index).map(|l| column(&key(l)).alias(key(l))).collect();
        groups.extend((0..index).map(|l| column(&value(l)).alias(value(l))));
        let mut aggregates = vec![count(lit(1)).alias(REMAINING)];
        for level in levels[index..].iter().filter(|l| l.others.is_some()) {
            aggregates.extend(self.level_aggregates(level, remainder.schema())?);
        }
        let grouped = build(remainder, span, |b| {
            b.aggregate(groups, aggregates)?
                .filter(column(REMAINING).gt(lit(0i64)))
        })?;
        let mut columns: Vec<Expr> = (0..index)
            .flat_map(|l| [column(&key(l)), column(&value(l))])
            .collect();
        for level in &levels[index..] {
            match &level.others {
                Some(others) => {
                    columns.push(lit(scalar_value(others, span)?));
                    columns.push(self.expr(&level.value, grouped.schema())?);
                }
                None => {
                    columns.push(lit(scalar_value(&empty(level.key.ty), span)?));
                    columns.push(lit(scalar_value(&Value::Null(level.value.ty), span)?));
                }
            }
        }
        let columns = columns
            .into_iter()
            .enumerate()
            .map(|(position, expr)| expr.alias(format!("__top_nested_out{position}")))
            .collect::<Vec<_>>();
        build(grouped, span, |b| b.project(columns))
    }
}

/// What a missing key shows: strings are never null in Kusto, so "" for them, else null.
fn empty(ty: KustoType) -> Value {
    match ty {
        KustoType::String => Value::String(String::new()),
        other => Value::Null(other),
    }
}

/// `rows` joined (`join_type`) with `kept` on the keys of levels `0..=index`, nulls matching nulls.
fn join_on_keys(
    rows: LogicalPlan,
    kept: LogicalPlan,
    join_type: JoinType,
    index: usize,
    span: Span,
) -> PResult<LogicalPlan> {
    let kept = build(kept, span, |b| b.alias(KEPT))?;
    let keys = |qualifier: &str| -> Vec<DFColumn> {
        (0..=index)
            .map(|l| DFColumn::new(Some(qualifier), key(l)))
            .collect()
    };
    build(rows, span, |b| {
        b.alias(ROWS)?.join_detailed(
            kept,
            join_type,
            (keys(ROWS), keys(KEPT)),
            None,
            NullEquality::NullEqualsNull,
        )
    })
}

/// The rows of the kept groups, with the level's value added.
fn keep_rows(
    rows: LogicalPlan,
    carried: &[String],
    kept: LogicalPlan,
    index: usize,
    span: Span,
) -> PResult<LogicalPlan> {
    let joined = join_on_keys(rows, kept, JoinType::Inner, index, span)?;
    let mut columns: Vec<Expr> = carried
        .iter()
        .map(|name| Expr::Column(DFColumn::new(Some(ROWS), name)).alias(name))
        .collect();
    columns.push(Expr::Column(DFColumn::new(Some(KEPT), value(index))).alias(value(index)));
    build(joined, span, |b| b.project(columns))
}
