//! `make-series ... on Axis from Start to End step Step [by Keys]`.
//!
//! The bounds are constants, folded at plan time: the bins are `Start + k * Step` below `End`, so the
//! axis array is a literal. Rows with `Start <= Axis < End` (the docs: `End` is the axis' exclusive
//! high bound) are numbered by bin, aggregated per keys and bin, and each aggregate's per-bin results
//! are laid out by `kql_make_series` with the default in the bins without rows.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use datafusion::functions::expr_fn::floor;
use datafusion::functions_aggregate::expr_fn::count;
use datafusion::logical_expr::simplify::SimplifyContext;
use datafusion::logical_expr::{Expr, LogicalPlan, cast, lit};
use datafusion::optimizer::simplify_expressions::ExprSimplifier;
use kql_binder::bound::{BoundExpr, Relation, SeriesAggregate, SeriesAxis};
use kql_functions::aggregate::make_series::MAX_BINS;
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;
use kql_types::time::{format_datetime_fixed, format_timespan};

use super::build;
use crate::expr::scalar_value;
use crate::{PResult, Planner, cast_to, column};

const AXIS: &str = "__series_axis";
const BIN: &str = "__series_bin";
/// Input rows per group: without keys, an empty input gives no series (unless `kind=nonempty`).
const ROWS: &str = "__series_rows";

fn key(index: usize) -> String {
    format!("__series_key{index}")
}

fn value(index: usize) -> String {
    format!("__series_value{index}")
}

/// The axis bounds as numbers: nanoseconds for datetime and timespan axes.
enum Bins {
    Integer { start: i64, step: i64, count: usize },
    Real { start: f64, step: f64, count: usize },
}

impl Planner<'_> {
    pub(crate) fn make_series(
        &self,
        relation: &Relation,
        input: &Relation,
        keys: &[BoundExpr],
        aggregates: &[SeriesAggregate],
        axis: &SeriesAxis,
        nonempty: bool,
    ) -> PResult<LogicalPlan> {
        let span = relation.span;
        let plan = self.relation(input)?;
        let schema = plan.schema().clone();
        let start = self.fold(&axis.start)?;
        let end = self.fold(&axis.end)?;
        let bins = bins(axis.on.ty, &start, &end, &self.fold(&axis.step)?, span)?;

        let mut staged: Vec<Expr> = input.columns.iter().map(|c| column(&c.name)).collect();
        for (index, bound) in keys.iter().enumerate() {
            staged.push(self.expr(bound, &schema)?.alias(key(index)));
        }
        staged.push(self.expr(&axis.on, &schema)?.alias(AXIS));
        let in_range = column(AXIS)
            .gt_eq(lit(start.clone()))
            .and(column(AXIS).lt(lit(end)));
        let bin = match bins {
            Bins::Integer { start, step, .. } => {
                (cast(column(AXIS), DataType::Int64) - lit(start)) / lit(step)
            }
            Bins::Real { start, step, .. } => cast(
                floor((cast(column(AXIS), DataType::Float64) - lit(start)) / lit(step)),
                DataType::Int64,
            ),
        };
        let rows = build(plan, span, |b| {
            b.project(staged)?.filter(in_range)?.project(
                input
                    .columns
                    .iter()
                    .map(|c| column(&c.name))
                    .chain((0..keys.len()).map(|i| column(&key(i))))
                    .chain([bin.alias(BIN)]),
            )
        })?;

        let key_columns: Vec<Expr> = (0..keys.len()).map(|i| column(&key(i))).collect();
        let mut by_bin = key_columns.clone();
        by_bin.push(column(BIN));
        let per_bin = aggregates
            .iter()
            .enumerate()
            .map(|(index, series)| Ok(self.aggregate(&series.call, rows.schema())?.alias(value(index))))
            .collect::<PResult<Vec<_>>>()?;
        let mut per_bin_with_rows = per_bin;
        per_bin_with_rows.push(count(lit(1)).alias(ROWS));
        let binned = build(rows, span, |b| b.aggregate(by_bin, per_bin_with_rows))?;

        let laid_out = kql_functions::aggregate::make_series::udaf();
        let mut series = Vec::new();
        for (index, aggregate) in aggregates.iter().enumerate() {
            let ty = aggregate.call.ty.arrow_type();
            let per_bin_value = cast_to(column(&value(index)), &ty, binned.schema());
            let default = lit(scalar_value(&aggregate.default, span)?);
            series.push(
                laid_out
                    .call(vec![
                        column(BIN),
                        per_bin_value,
                        cast(default, ty),
                        lit(bins.count() as i64),
                    ])
                    .alias(value(index)),
            );
        }
        series.push(datafusion::functions_aggregate::expr_fn::sum(column(ROWS)).alias(ROWS));
        let mut grouped = build(binned, span, |b| b.aggregate(key_columns.clone(), series))?;
        // Without keys an aggregate always gives one row; Kusto gives none for an empty input.
        if keys.is_empty() && !nonempty {
            grouped = build(grouped, span, |b| b.filter(column(ROWS).gt(lit(0i64))))?;
        }
        let mut outputs = key_columns;
        outputs.extend((0..aggregates.len()).map(|i| column(&value(i))));
        outputs.push(lit(bins.axis_json(axis.on.ty)));
        let outputs = outputs
            .into_iter()
            .zip(&relation.columns)
            .map(|(expr, column)| expr.alias(&column.name));
        build(grouped, span, |b| b.project(outputs))
    }

    /// A constant bound (`datetime(...)`, `ago(7d)`, `startofday(now())`) folded to its value.
    fn fold(&self, bound: &BoundExpr) -> PResult<ScalarValue> {
        let expr = self.expr(bound, &datafusion::common::DFSchema::empty())?;
        let folded = ExprSimplifier::new(SimplifyContext::default()).simplify(expr);
        match folded {
            Ok(Expr::Literal(value, _)) if !value.is_null() => Ok(value),
            _ => Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "the `make-series` bounds and step must be constants",
                bound.span,
            )),
        }
    }
}

/// The bins of an axis from its folded bounds.
fn bins(
    ty: KustoType,
    start: &ScalarValue,
    end: &ScalarValue,
    step: &ScalarValue,
    span: Span,
) -> PResult<Bins> {
    let invalid =
        |what: &str| Diagnostic::new(DiagnosticKind::Semantic, format!("make-series: {what}"), span);
    let too_many = || {
        invalid(&format!(
            "more than {MAX_BINS} bins (the docs' limit for one series)"
        ))
    };
    let integer = |value: &ScalarValue| -> PResult<i64> {
        match value.cast_to(&DataType::Int64) {
            Ok(ScalarValue::Int64(Some(n))) => Ok(n),
            _ => Err(invalid("a bound is not an integer")),
        }
    };
    let real = |value: &ScalarValue| -> PResult<f64> {
        match value.cast_to(&DataType::Float64) {
            Ok(ScalarValue::Float64(Some(x))) => Ok(x),
            _ => Err(invalid("a bound is not a number")),
        }
    };
    if ty == KustoType::Real {
        let (start, end, step) = (real(start)?, real(end)?, real(step)?);
        if step.is_nan() || step <= 0.0 {
            return Err(invalid("the step must be positive"));
        }
        let count = ((end - start) / step).ceil().max(0.0);
        if count > MAX_BINS as f64 {
            return Err(too_many());
        }
        return Ok(Bins::Real {
            start,
            step,
            count: count as usize,
        });
    }
    let (start, end, step) = (integer(start)?, integer(end)?, integer(step)?);
    if step <= 0 {
        return Err(invalid("the step must be positive"));
    }
    let span_width = i128::from(end) - i128::from(start);
    let count = if span_width <= 0 {
        0
    } else {
        (span_width + i128::from(step) - 1) / i128::from(step)
    };
    let count = usize::try_from(count)
        .ok()
        .filter(|n| *n <= MAX_BINS)
        .ok_or_else(too_many)?;
    Ok(Bins::Integer { start, step, count })
}

impl Bins {
    fn count(&self) -> usize {
        match self {
            Bins::Integer { count, .. } | Bins::Real { count, .. } => *count,
        }
    }

    /// The axis column: each bin's start as Kusto writes it inside a dynamic value.
    fn axis_json(&self, ty: KustoType) -> String {
        let items: Vec<String> = match *self {
            Bins::Integer { start, step, count } => (0..count as i64)
                .map(|k| {
                    let at = start + k * step;
                    match ty {
                        KustoType::DateTime => format!("\"{}\"", format_datetime_fixed(at)),
                        KustoType::TimeSpan => format!("\"{}\"", format_timespan(at)),
                        _ => at.to_string(),
                    }
                })
                .collect(),
            Bins::Real { start, step, count } => (0..count)
                .map(|k| (start + k as f64 * step).to_string())
                .collect(),
        };
        format!("[{}]", items.join(","))
    }
}
