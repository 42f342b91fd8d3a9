//! Window functions over serialized rows. A serialized relation is planned with one extra trailing
//! column, [`ROW_ORDER`], numbering its rows in Kusto's order; every window function is a DataFusion
//! window expression ordered by it, so the answer never depends on how DataFusion partitions rows.

use datafusion::arrow::datatypes::DataType;
use datafusion::functions_aggregate::min_max::max_udaf;
use datafusion::functions_aggregate::sum::sum_udaf;
use datafusion::functions_window::expr_fn::{lag, lead, row_number};
use datafusion::logical_expr::expr::WindowFunction as DFWindowFunction;
use datafusion::logical_expr::{
    Expr, ExprFunctionExt, LogicalPlan, Operator, SortExpr, binary_expr, cast, lit, when,
};
use kql_binder::bound::{BoundExpr, ExprKind, Relation, RelationKind, WindowFunction};
use kql_binder::catalog::Column;
use kql_syntax::{Diagnostic, Span};

use super::build;
use crate::expr::scalar_value;
use crate::{PResult, Planner, cast_to, column, plan_error};

/// The serialized row number (1, 2, ...) a serialized plan carries after the relation's columns.
pub(crate) const ROW_ORDER: &str = "__kql_row_order";

/// The order of a serialized plan's rows.
pub(crate) fn row_order() -> Vec<SortExpr> {
    vec![column(ROW_ORDER).sort(true, false)]
}

/// Whether a relation's expressions call window functions (so it must be planned serialized).
pub(crate) fn uses_windows(kind: &RelationKind) -> bool {
    match kind {
        RelationKind::Project { exprs, .. } => exprs.iter().any(BoundExpr::has_window),
        RelationKind::Filter { predicate, .. } => predicate.has_window(),
        _ => false,
    }
}

impl Planner<'_> {
    /// Plans a relation whose expressions call window functions: serialized, in serialized order.
    pub(crate) fn windowed(&self, relation: &Relation) -> PResult<LogicalPlan> {
        let plan = self.serialized(relation)?;
        let columns = relation
            .columns
            .iter()
            .map(|c| column(&c.name))
            .collect::<Vec<_>>();
        build(plan, relation.span, |b| b.sort(row_order())?.project(columns))
    }

    /// Plans a relation with [`ROW_ORDER`] appended. Kusto serializes the output of `sort`/`top`,
    /// `range` and literal rows; row-by-row operators over serialized rows keep them serialized.
    pub(crate) fn serialized(&self, relation: &Relation) -> PResult<LogicalPlan> {
        let span = relation.span;
        match &relation.kind {
            RelationKind::Sort { input, keys, limit } => {
                // Ties keep their input order, as Kusto's sort does.
                let input_order = "__kql_input_order";
                let plan = build(self.relation(input)?, span, |b| {
                    b.window(vec![row_number().alias(input_order)])
                })?;
                let schema = plan.schema().clone();
                let mut order = self.sort_exprs(keys, &schema)?;
                order.push(column(input_order).sort(true, false));
                let numbered = row_number()
                    .order_by(order)
                    .build()
                    .map_err(|e| plan_error(e, span))?
                    .alias(ROW_ORDER);
                let mut plan = build(plan, span, |b| b.window(vec![numbered]))?;
                if let Some(limit) = limit {
                    plan = build(plan, span, |b| b.filter(column(ROW_ORDER).lt_eq(lit(*limit))))?;
                }
                with_row_order(plan, &relation.columns, span)
            }
            // `print`'s single row has one order only.
            RelationKind::Values { .. } | RelationKind::Range { .. } | RelationKind::SingleRow => {
                let plan = self.relation(relation)?;
                build(plan, span, |b| b.window(vec![row_number().alias(ROW_ORDER)]))
            }
            RelationKind::Filter { input, predicate } => {
                let mut plan = self.serialized(input)?;
                let predicate = self.extract_windows(predicate, &mut plan, &mut 0)?;
                let predicate = self.expr(&predicate, plan.schema())?;
                let plan = build(plan, span, |b| b.filter(predicate))?;
                with_row_order(plan, &relation.columns, span)
            }
            RelationKind::Project { input, exprs } => {
                let mut plan = self.serialized(input)?;
                let mut next_id = 0;
                let exprs = exprs
                    .iter()
                    .map(|e| self.extract_windows(e, &mut plan, &mut next_id))
                    .collect::<PResult<Vec<_>>>()?;
                let schema = plan.schema().clone();
                let mut outputs = exprs
                    .iter()
                    .zip(&relation.columns)
                    .map(|(expr, c)| {
                        Ok(cast_to(self.expr(expr, &schema)?, &c.ty.arrow_type(), &schema).alias(&c.name))
                    })
                    .collect::<PResult<Vec<_>>>()?;
                outputs.push(column(ROW_ORDER));
                build(plan, span, |b| b.project(outputs))
            }
            // Kusto refuses these too: the serialize page lists the operators that serialize rows
            // (`serialize`, `sort`, `top`, `range`, ...) and those that do not (a table, `summarize`,
            // `join`, `mv-expand`, ...).
            _ => Err(Diagnostic::not_supported(
                "window functions over rows that are not serialized: Kusto rejects them too, since \
                 rows read from a table or made by `summarize`, `join` or `mv-expand` have no order; \
                 add `| serialize` or `| sort by ...` before the window function",
                span,
            )),
        }
    }

    /// Computes every window function in `expr` as a column of `plan` (innermost first, since a
    /// restart condition may itself use `prev`), returning `expr` with those columns in their place.
    fn extract_windows(
        &self,
        expr: &BoundExpr,
        plan: &mut LogicalPlan,
        next_id: &mut usize,
    ) -> PResult<BoundExpr> {
        if !expr.has_window() {
            return Ok(expr.clone());
        }
        let mut rewrite = |e: &BoundExpr| self.extract_windows(e, plan, next_id);
        let kind = match &expr.kind {
            ExprKind::Window(function) => {
                let function = match function.as_ref() {
                    WindowFunction::RowNumber { start, restart } => WindowFunction::RowNumber {
                        start: *start,
                        restart: restart.as_ref().map(&mut rewrite).transpose()?,
                    },
                    WindowFunction::Shift {
                        value,
                        offset,
                        default,
                    } => WindowFunction::Shift {
                        value: rewrite(value)?,
                        offset: *offset,
                        default: default.clone(),
                    },
                    WindowFunction::CumulativeSum { value, restart } => WindowFunction::CumulativeSum {
                        value: rewrite(value)?,
                        restart: restart.as_ref().map(&mut rewrite).transpose()?,
                    },
                    WindowFunction::Rank {
                        value,
                        restart,
                        dense,
                    } => WindowFunction::Rank {
                        value: rewrite(value)?,
                        restart: restart.as_ref().map(&mut rewrite).transpose()?,
                        dense: *dense,
                    },
                    WindowFunction::Session {
                        value,
                        from_first,
                        between,
                        restart,
                    } => WindowFunction::Session {
                        value: rewrite(value)?,
                        from_first: rewrite(from_first)?,
                        between: rewrite(between)?,
                        restart: restart.as_ref().map(&mut rewrite).transpose()?,
                    },
                };
                let name = format!("__kql_window_{next_id}");
                *next_id += 1;
                *plan = self.window_column(plan.clone(), &function, &name, expr.span)?;
                ExprKind::Column(name)
            }
            ExprKind::Binary { op, left, right } => ExprKind::Binary {
                op: *op,
                left: Box::new(rewrite(left)?),
                right: Box::new(rewrite(right)?),
            },
            ExprKind::Not(inner) => ExprKind::Not(Box::new(rewrite(inner)?)),
            ExprKind::Negate(inner) => ExprKind::Negate(Box::new(rewrite(inner)?)),
            ExprKind::Call { function, args } => ExprKind::Call {
                function: function.clone(),
                args: args.iter().map(&mut rewrite).collect::<PResult<_>>()?,
            },
            ExprKind::Case { branches, otherwise } => ExprKind::Case {
                branches: branches
                    .iter()
                    .map(|(c, v)| Ok((rewrite(c)?, rewrite(v)?)))
                    .collect::<PResult<_>>()?,
                otherwise: Box::new(rewrite(otherwise)?),
            },
            ExprKind::InList {
                expr: target,
                list,
                negated,
                case_sensitive,
            } => ExprKind::InList {
                expr: Box::new(rewrite(target)?),
                list: list.iter().map(&mut rewrite).collect::<PResult<_>>()?,
                negated: *negated,
                case_sensitive: *case_sensitive,
            },
            ExprKind::InRelation {
                expr: target,
                relation,
                negated,
            } => ExprKind::InRelation {
                expr: Box::new(rewrite(target)?),
                relation: relation.clone(),
                negated: *negated,
            },
            ExprKind::Column(_)
            | ExprKind::Literal(_)
            | ExprKind::ScalarSubquery(_)
            | ExprKind::IngestionTime => expr.kind.clone(),
        };
        Ok(BoundExpr::new(kind, expr.ty, expr.span))
    }

    /// Appends one window function's values to a serialized plan as column `name`; its arguments
    /// hold no window functions any more.
    fn window_column(
        &self,
        plan: LogicalPlan,
        function: &WindowFunction,
        name: &str,
        span: Span,
    ) -> PResult<LogicalPlan> {
        let restart = match function {
            WindowFunction::RowNumber { restart, .. }
            | WindowFunction::CumulativeSum { restart, .. }
            | WindowFunction::Rank { restart, .. } => restart.as_ref(),
            // The session function reads its restart flag row by row itself.
            WindowFunction::Shift { .. } | WindowFunction::Session { .. } => None,
        };
        let (plan, runs) = self.runs(plan, restart, name, span)?;
        let schema = plan.schema().clone();
        let finish = |e: Expr| -> PResult<Expr> {
            e.partition_by(runs.clone())
                .order_by(row_order())
                .build()
                .map_err(|e| plan_error(e, span))
        };
        match function {
            WindowFunction::RowNumber { start, .. } => {
                let number = format!("{name}_number");
                let numbered = finish(row_number())?.alias(&number);
                let plan = build(plan, span, |b| b.window(vec![numbered]))?;
                let value = cast(column(&number), DataType::Int64) + lit(start - 1);
                append(plan, value, name, span)
            }
            WindowFunction::Shift {
                value,
                offset,
                default,
            } => {
                let value = self.expr(value, &schema)?;
                let default = Some(scalar_value(
                    // The binder keeps only constant defaults; one converted to the value's type by a
                    // call (a long for a datetime value) has no documented meaning.
                    default.as_literal().ok_or_else(|| {
                        Diagnostic::not_supported(
                            format!(
                                "a `prev`/`next` default that is not of the value's type ({}): the docs \
                                 do not say how Kusto converts it; write it as a {} constant",
                                default.ty, default.ty
                            ),
                            span,
                        )
                    })?,
                    span,
                )?);
                let shifted = if *offset < 0 {
                    lag(value, Some(-offset), default)
                } else {
                    lead(value, Some(*offset), default)
                };
                let shifted = finish(shifted)?.alias(name);
                build(plan, span, |b| b.window(vec![shifted]))
            }
            WindowFunction::CumulativeSum { value, .. } => {
                let value = self.expr(value, &schema)?;
                let total = Expr::from(DFWindowFunction::new(sum_udaf(), vec![value]));
                let total = finish(total)?.alias(name);
                build(plan, span, |b| b.window(vec![total]))
            }
            WindowFunction::Session {
                value,
                from_first,
                between,
                restart,
            } => {
                let restart = match restart {
                    Some(restart) => self.expr(restart, &schema)?,
                    None => lit(false),
                };
                let args = vec![
                    self.expr(value, &schema)?,
                    self.expr(from_first, &schema)?,
                    self.expr(between, &schema)?,
                    restart,
                ];
                let session = Expr::from(DFWindowFunction::new(session_udaf(span)?, args));
                let session = finish(session)?.alias(name);
                build(plan, span, |b| b.window(vec![session]))
            }
            WindowFunction::Rank { value, dense, .. } => {
                let (number, previous, first) = (
                    format!("{name}_number"),
                    format!("{name}_previous"),
                    format!("{name}_first"),
                );
                let value = self.expr(value, &schema)?;
                let numbered = finish(row_number())?.alias(&number);
                let shifted = finish(lag(value.clone(), Some(1), None))?.alias(&previous);
                let plan = build(plan, span, |b| b.window(vec![numbered, shifted]))?;
                // A stretch of equal values starts where the value changes (or the run starts). Its
                // rows all take the row number of that first row (`row_rank_min`, the running
                // maximum of those numbers), or the count of stretches so far (`row_rank_dense`, the
                // running sum of the starts).
                let starts = column(&number).eq(lit(1u64)).or(binary_expr(
                    value,
                    Operator::IsDistinctFrom,
                    column(&previous),
                ));
                let (at_start, running) = if *dense {
                    (cast(starts, DataType::Int64), sum_udaf())
                } else {
                    let first_number = when(starts, cast(column(&number), DataType::Int64))
                        .end()
                        .map_err(|e| plan_error(e, span))?;
                    (first_number, max_udaf())
                };
                let plan = append(plan, at_start, &first, span)?;
                let rank = finish(Expr::from(DFWindowFunction::new(running, vec![column(&first)])))?;
                let rank = rank.alias(name);
                build(plan, span, |b| b.window(vec![rank]))
            }
        }
    }

    /// Numbers the runs a restart condition delimits (a new run wherever it is true), as a column;
    /// returns the partitioning to apply (none without a restart condition).
    fn runs(
        &self,
        plan: LogicalPlan,
        restart: Option<&BoundExpr>,
        name: &str,
        span: Span,
    ) -> PResult<(LogicalPlan, Vec<Expr>)> {
        let Some(restart) = restart else {
            return Ok((plan, Vec::new()));
        };
        let condition = self.expr(restart, plan.schema())?;
        let flag = when(condition, lit(1i64))
            .otherwise(lit(0i64))
            .map_err(|e| plan_error(e, span))?;
        let run = format!("{name}_run");
        let count = Expr::from(DFWindowFunction::new(sum_udaf(), vec![flag]))
            .order_by(row_order())
            .build()
            .map_err(|e| plan_error(e, span))?
            .alias(&run);
        let plan = build(plan, span, |b| b.window(vec![count]))?;
        Ok((plan, vec![column(&run)]))
    }
}

/// The running aggregate behind `row_window_session`, from the function registry.
fn session_udaf(span: Span) -> PResult<std::sync::Arc<datafusion::logical_expr::AggregateUDF>> {
    let call = kql_functions::registry()
        .internal("row_window_session")
        .map(|function| function.implementation.call_aggregate(Vec::new(), &[]));
    match call {
        Some(Ok(Expr::AggregateFunction(aggregate))) => Ok(aggregate.func),
        _ => Err(Diagnostic::internal("row_window_session is not registered", span)),
    }
}

/// Appends a computed column to a plan, keeping every column it has.
fn append(plan: LogicalPlan, value: Expr, name: &str, span: Span) -> PResult<LogicalPlan> {
    let mut columns: Vec<Expr> = plan
        .schema()
        .iter()
        .map(|(qualifier, field)| {
            Expr::Column(datafusion::common::Column::new(qualifier.cloned(), field.name()))
        })
        .collect();
    columns.push(value.alias(name));
    build(plan, span, |b| b.project(columns))
}

/// Keeps a relation's columns (cast to their Arrow types) and [`ROW_ORDER`], dropping helpers.
fn with_row_order(plan: LogicalPlan, columns: &[Column], span: Span) -> PResult<LogicalPlan> {
    let schema = plan.schema().clone();
    let mut exprs = columns
        .iter()
        .map(|c| cast_to(column(&c.name), &c.ty.arrow_type(), &schema).alias(&c.name))
        .collect::<Vec<_>>();
    exprs.push(column(ROW_ORDER));
    build(plan, span, |b| b.project(exprs))
}
