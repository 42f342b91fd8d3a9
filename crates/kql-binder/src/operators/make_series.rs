//! `make-series [kind=nonempty] [Name =] Aggregation [default = Value], ... on Axis from Start to End
//! step Step [by Keys]`. Output: the keys, one dynamic array per aggregate, then the dynamic array of
//! bins, named after the axis expression (as `summarize` names its columns).

use kql_syntax::ast::{self, Expr, ExprKind, NamedExpr, OperatorParam};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use super::summarize::single_name;
use crate::bound::{BoundExpr, Relation, RelationKind, SeriesAggregate, SeriesAxis, Value};
use crate::catalog::Column;
use crate::expr::{convert, literal};
use crate::names::{Namer, unique};
use crate::tabular::{check_params, param_text};
use crate::{BResult, Binder};

/// The aggregations the `make-series` docs list.
const SERIES_AGGREGATES: &[&str] = &[
    "avg",
    "avgif",
    "count",
    "countif",
    "dcount",
    "dcountif",
    "max",
    "maxif",
    "min",
    "minif",
    "percentile",
    "take_any",
    "stdev",
    "sum",
    "sumif",
    "variance",
];

impl Binder<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn make_series(
        &mut self,
        input: Relation,
        params: &[OperatorParam],
        aggregates: &[ast::SeriesAggregate],
        on: &Expr,
        range: &[OperatorParam],
        by: &[NamedExpr],
        span: Span,
    ) -> BResult<Relation> {
        check_params(params, &["kind"], "make-series")?;
        let mut nonempty = false;
        for param in params.iter().filter(|p| p.name.name.eq_ignore_ascii_case("kind")) {
            match param_text(param)?.as_str() {
                "nonempty" => nonempty = true,
                other => {
                    return Err(Diagnostic::new(
                        DiagnosticKind::Semantic,
                        format!("unknown `make-series` kind `{other}`: the only kind is `nonempty`"),
                        param.value.span,
                    ));
                }
            }
        }
        if nonempty && !by.is_empty() {
            return Err(Diagnostic::not_supported(
                "`make-series kind=nonempty` with `by` (the docs define it for a series without groups)",
                span,
            ));
        }
        let mut namer = Namer::new(self.catalog);
        let (mut columns, keys) = self.group_keys(by, &input.columns, &mut namer)?;
        let mut series = Vec::new();
        for item in aggregates {
            let aggregate = &item.aggregate;
            let ExprKind::Call { name, args } = &aggregate.expr.kind else {
                return Err(Diagnostic::not_supported(
                    "a `make-series` value that is not a single aggregation call",
                    aggregate.expr.span,
                ));
            };
            if self.aggregate_function(&name.name).is_none() {
                return Err(self.unknown_function(name));
            }
            if !SERIES_AGGREGATES.contains(&name.name.as_str()) {
                return Err(Diagnostic::not_supported(
                    format!("`{}` in `make-series`", name.name),
                    name.span,
                ));
            }
            let call = self.aggregate_call(name, args, aggregate.expr.span, &input.columns)?;
            if !(call.ty.is_numeric() || matches!(call.ty, KustoType::DateTime | KustoType::TimeSpan)) {
                return Err(Diagnostic::new(
                    DiagnosticKind::Type,
                    format!("a `make-series` aggregation must give a number, not {}", call.ty),
                    aggregate.expr.span,
                ));
            }
            // The docs: bins without rows hold the default, 0 unless given.
            let default = match &item.default {
                Some(default) => self.constant(default, call.ty)?,
                None => literal::coerce(Value::Long(0), call.ty).ok_or_else(|| {
                    Diagnostic::not_supported(
                        format!("the implicit default 0 of a {} series; give `default=`", call.ty),
                        aggregate.expr.span,
                    )
                })?,
            };
            let explicit = single_name(aggregate)?;
            let name = namer.name(explicit, &aggregate.expr);
            let name = match explicit {
                Some(_) => name,
                None => unique(&name, |c| columns.iter().any(|k| k.name == c)),
            };
            columns.push(Column::new(name, KustoType::Dynamic));
            series.push(SeriesAggregate { call, default });
        }
        let axis = self.series_axis(on, range, &input.columns, span)?;
        let axis_name = namer.name(None, on);
        columns.push(Column::new(
            unique(&axis_name, |c| columns.iter().any(|k| k.name == c)),
            KustoType::Dynamic,
        ));
        Ok(Relation::new(
            RelationKind::MakeSeries {
                input: input.boxed(),
                keys,
                aggregates: series,
                axis: Box::new(axis),
                nonempty,
            },
            columns,
            span,
        ))
    }

    /// `on Axis from Start to End step Step`, with `Start` and `End` converted to the axis type.
    fn series_axis(
        &mut self,
        on: &Expr,
        range: &[OperatorParam],
        row: &[Column],
        span: Span,
    ) -> BResult<SeriesAxis> {
        let clause = |word: &str| range.iter().find(|p| p.name.name == word);
        if let Some(in_range) = clause("in") {
            return Err(Diagnostic::not_supported(
                "`make-series ... in range(...)`: the docs do not pin down which rows near the bounds \
                 count; use `from ... to ... step ...`",
                in_range.span,
            ));
        }
        let (Some(from), Some(to), Some(step)) = (clause("from"), clause("to"), clause("step")) else {
            return Err(Diagnostic::not_supported(
                "`make-series` without both `from` and `to` (bounds taken from the data)",
                span,
            ));
        };
        let on = self.scalar(on, row)?;
        let step_type = match on.ty {
            KustoType::DateTime | KustoType::TimeSpan => KustoType::TimeSpan,
            ty if ty.is_numeric() && ty != KustoType::Decimal => ty,
            other => {
                return Err(Diagnostic::new(
                    DiagnosticKind::Type,
                    format!("the `make-series` axis must be a datetime, timespan or number, not {other}"),
                    on.span,
                ));
            }
        };
        let bound = |binder: &mut Self, param: &OperatorParam, ty: KustoType| -> BResult<BoundExpr> {
            let value = binder.scalar(&param.value, &[])?;
            if value.ty != ty && !(value.ty.is_numeric() && ty.is_numeric()) {
                return Err(Diagnostic::new(
                    DiagnosticKind::Type,
                    format!("`{}` must be a {ty}, not {}", param.name.name, value.ty),
                    param.value.span,
                ));
            }
            Ok(convert(value, ty))
        };
        let start = bound(self, from, on.ty)?;
        let end = bound(self, to, on.ty)?;
        let step = bound(self, step, step_type)?;
        Ok(SeriesAxis { on, start, end, step })
    }
}
