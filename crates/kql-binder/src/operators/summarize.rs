//! `summarize`: group keys, then aggregates, named as Kusto names them (`count_`, `dcount_X`,
//! `set_X`, ...). `arg_max`/`arg_min` bind to their own relation, since they return whole rows.

use kql_syntax::ast::{Arg, Expr, ExprKind, Ident, NamedExpr, OperatorParam};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};

use crate::bound::{AggregateCall, BoundExpr, ExprKind as Bound, Relation, RelationKind};
use crate::catalog::Column;
use crate::names::{Namer, unique};
use crate::tabular::check_params;
use crate::{BResult, Binder};

fn strip_parens(expr: &Expr) -> &Expr {
    match &expr.kind {
        ExprKind::Paren(inner) => strip_parens(inner),
        _ => expr,
    }
}

/// The column an expression names, when it is just a column (`Col`, `(Col)`).
fn plain_column(expr: &Expr) -> Option<&str> {
    match &strip_parens(expr).kind {
        ExprKind::Name(ident) => Some(&ident.name),
        _ => None,
    }
}

/// `arg_max(by, *)` among other aggregates: `*` stands for every input column except `by` and the
/// group keys, when those are plain columns (as Kusto's own analysis names the result columns).
fn expand_star(args: &[Arg], star: usize, row: &[Column], plain_keys: &[&str]) -> BResult<Vec<Arg>> {
    if args.len() != 2 || star != 1 {
        return Err(Diagnostic::new(
            DiagnosticKind::Semantic,
            "`*` must be the only column after the value in arg_max/arg_min",
            args[star].span,
        ));
    }
    let mut skipped = plain_keys.to_vec();
    skipped.extend(plain_column(&args[0].value));
    let mut expanded = vec![args[0].clone()];
    expanded.extend(column_args(row, &skipped, args[star].span));
    Ok(expanded)
}

/// Every input column but the skipped ones, as arguments naming them (what a `*` argument stands for).
fn column_args(row: &[Column], skipped: &[&str], span: Span) -> Vec<Arg> {
    row.iter()
        .filter(|column| !skipped.contains(&column.name.as_str()))
        .map(|column| {
            let ident = Ident {
                name: column.name.clone(),
                span,
            };
            Arg {
                name: None,
                value: Expr {
                    kind: ExprKind::Name(ident),
                    span,
                },
                span,
            }
        })
        .collect()
}

/// One `summarize` output: an aggregate column, or an expression over hidden aggregate columns.
enum Output<'e> {
    Column(usize),
    Computed {
        explicit: Option<&'e str>,
        original: &'e Expr,
        substituted: Expr,
    },
}

pub(crate) fn single_name(item: &NamedExpr) -> BResult<Option<&str>> {
    match item.names.as_slice() {
        [] => Ok(None),
        [name] => Ok(Some(name.name.as_str())),
        _ => Err(Diagnostic::not_supported(
            "several names for one aggregate",
            item.span,
        )),
    }
}

impl Binder<'_> {
    /// The `by` keys of `summarize` and `make-series`: bound expressions and their output columns.
    pub(crate) fn group_keys(
        &mut self,
        by: &[NamedExpr],
        input: &[Column],
        namer: &mut Namer,
    ) -> BResult<(Vec<Column>, Vec<BoundExpr>)> {
        let mut columns = Vec::new();
        let mut keys = Vec::new();
        for item in by {
            let bound = self.scalar(&item.expr, input)?;
            let name = namer.name(single_name(item)?, &item.expr);
            columns.push(Column::new(name, bound.ty));
            keys.push(bound);
        }
        Ok((columns, keys))
    }

    pub(crate) fn summarize(
        &mut self,
        input: Relation,
        params: &[OperatorParam],
        aggregates: &[NamedExpr],
        by: &[NamedExpr],
        span: Span,
    ) -> BResult<Relation> {
        check_params(params, &[], "summarize")?;
        let mut namer = Namer::new(self.catalog);
        let (mut columns, keys) = self.group_keys(by, &input.columns, &mut namer)?;
        let arg_extreme = aggregates
            .iter()
            .find_map(|item| match &strip_parens(&item.expr).kind {
                ExprKind::Call { name, args } if matches!(name.name.as_str(), "arg_max" | "arg_min") => {
                    Some((item, name, args))
                }
                _ => None,
            });
        // A lone, unnamed arg_max/arg_min returns whole rows; otherwise each of its columns is an
        // aggregate of its own.
        if let Some((item, name, args)) = arg_extreme
            && aggregates.len() == 1
            && item.names.is_empty()
        {
            return self.arg_extreme(input, keys, columns, name.name == "arg_max", args, namer, span);
        }
        let plain_keys: Vec<&str> = by.iter().filter_map(|key| plain_column(&key.expr)).collect();
        let mut calls = Vec::new();
        // Aggregates inside larger expressions (`sum(x) / 1024`) are computed as hidden columns, and
        // the expressions over them in a projection after the summarize.
        let mut outputs = Vec::new();
        let mut hidden = 0;
        for item in aggregates {
            let expr = strip_parens(&item.expr);
            let direct = match &expr.kind {
                ExprKind::Call { name, args } if self.is_aggregate(&name.name) => Some((name, args)),
                _ => None,
            };
            let Some((name, args)) = direct else {
                let before = hidden;
                let substituted = self.hoist(expr, &input.columns, &mut hidden, &mut columns, &mut calls)?;
                if hidden == before {
                    return Err(match &expr.kind {
                        ExprKind::Call { name, .. } if !self.is_scalar_function(&name.name) => {
                            self.unknown_function(name)
                        }
                        _ => Diagnostic::new(
                            DiagnosticKind::Semantic,
                            "a summarize result must use an aggregate function",
                            item.expr.span,
                        ),
                    });
                }
                outputs.push(Output::Computed {
                    explicit: single_name(item)?,
                    original: expr,
                    substituted,
                });
                continue;
            };
            let first = columns.len();
            if matches!(name.name.as_str(), "arg_max" | "arg_min") {
                self.arg_extreme_columns(
                    item,
                    name,
                    args,
                    &input.columns,
                    &plain_keys,
                    &mut namer,
                    &mut columns,
                    &mut calls,
                )?;
            } else if matches!(name.name.as_str(), "take_any" | "any")
                && (args.len() > 1 || args.iter().any(|arg| matches!(arg.value.kind, ExprKind::Star)))
            {
                self.take_any_columns(
                    item,
                    name,
                    args,
                    &input.columns,
                    &plain_keys,
                    &mut namer,
                    &mut columns,
                    &mut calls,
                )?;
            } else if matches!(name.name.as_str(), "percentiles" | "percentilesw") {
                self.percentiles(
                    item,
                    name,
                    args,
                    &input.columns,
                    &mut namer,
                    &mut columns,
                    &mut calls,
                )?;
            } else {
                let call = self.aggregate_call(name, args, expr.span, &input.columns)?;
                let explicit = single_name(item)?;
                let derived = namer.name(explicit, expr);
                let name_out = if explicit.is_some() {
                    derived
                } else {
                    unique(&derived, |candidate| columns.iter().any(|c| c.name == candidate))
                };
                columns.push(Column::new(name_out, call.ty));
                calls.push(call);
            }
            outputs.extend((first..columns.len()).map(Output::Column));
        }
        let key_count = keys.len();
        let summarized = Relation::new(
            RelationKind::Summarize {
                input: input.boxed(),
                keys,
                aggregates: calls,
            },
            columns.clone(),
            span,
        );
        if !outputs
            .iter()
            .any(|output| matches!(output, Output::Computed { .. }))
        {
            return Ok(summarized);
        }
        let mut projected: Vec<Column> = columns[..key_count].to_vec();
        let mut exprs: Vec<BoundExpr> = projected.iter().map(|c| BoundExpr::column(c, span)).collect();
        for output in outputs {
            match output {
                Output::Column(index) => {
                    exprs.push(BoundExpr::column(&columns[index], span));
                    projected.push(columns[index].clone());
                }
                Output::Computed {
                    explicit,
                    original,
                    substituted,
                } => {
                    let bound = self.scalar(&substituted, &columns)?;
                    projected.push(Column::new(namer.name(explicit, original), bound.ty));
                    exprs.push(bound);
                }
            }
        }
        Ok(Relation::new(
            RelationKind::Project {
                input: summarized.boxed(),
                exprs,
            },
            projected,
            span,
        ))
    }

    /// One aggregate call, checked against its signature.
    pub(crate) fn aggregate_call(
        &mut self,
        name: &Ident,
        args: &[Arg],
        span: Span,
        row: &[Column],
    ) -> BResult<AggregateCall> {
        let Some(signature) = self.aggregate_function(&name.name) else {
            return Err(self.unknown_function(name));
        };
        let bound_args = args
            .iter()
            .map(|arg| self.scalar(&arg.value, row))
            .collect::<BResult<Vec<_>>>()?;
        let call = self.apply(&signature, name, bound_args, span)?;
        let Bound::Call { args, .. } = call.kind else {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "malformed aggregate",
                span,
            ));
        };
        Ok(AggregateCall {
            function: signature.name.to_string(),
            args,
            ty: call.ty,
            span,
        })
    }

    /// Replaces each aggregate call inside an expression with a hidden column holding its result.
    pub(crate) fn hoist(
        &mut self,
        expr: &Expr,
        row: &[Column],
        hidden: &mut usize,
        columns: &mut Vec<Column>,
        calls: &mut Vec<AggregateCall>,
    ) -> BResult<Expr> {
        let kind = match &expr.kind {
            ExprKind::Call { name, args } if self.aggregate_function(&name.name).is_some() => {
                let call = self.aggregate_call(name, args, expr.span, row)?;
                let column = format!("__aggregate{hidden}");
                *hidden += 1;
                columns.push(Column::new(&column, call.ty));
                calls.push(call);
                ExprKind::Name(Ident {
                    name: column,
                    span: expr.span,
                })
            }
            ExprKind::Call { name, .. }
                if !self.is_scalar_function(&name.name)
                    && !matches!(self.lookup(&name.name), Some(crate::Binding::Function(_))) =>
            {
                return Err(self.unknown_function(name));
            }
            ExprKind::Call { name, args } => {
                let args = args
                    .iter()
                    .map(|arg| {
                        let value = self.hoist(&arg.value, row, hidden, columns, calls)?;
                        Ok(Arg {
                            name: arg.name.clone(),
                            value,
                            span: arg.span,
                        })
                    })
                    .collect::<BResult<Vec<_>>>()?;
                ExprKind::Call {
                    name: name.clone(),
                    args,
                }
            }
            ExprKind::Binary { op, left, right } => ExprKind::Binary {
                op: *op,
                left: Box::new(self.hoist(left, row, hidden, columns, calls)?),
                right: Box::new(self.hoist(right, row, hidden, columns, calls)?),
            },
            ExprKind::Unary { op, operand } => ExprKind::Unary {
                op: *op,
                operand: Box::new(self.hoist(operand, row, hidden, columns, calls)?),
            },
            ExprKind::Paren(inner) => {
                ExprKind::Paren(Box::new(self.hoist(inner, row, hidden, columns, calls)?))
            }
            other => other.clone(),
        };
        Ok(Expr {
            kind,
            span: expr.span,
        })
    }

    /// `arg_max(by, c1, c2, ...)` among other aggregates: `max(by)`, then `arg_max(by, c)` per column.
    #[allow(clippy::too_many_arguments)]
    fn arg_extreme_columns(
        &mut self,
        item: &NamedExpr,
        function: &Ident,
        args: &[Arg],
        row: &[Column],
        plain_keys: &[&str],
        namer: &mut Namer,
        columns: &mut Vec<Column>,
        calls: &mut Vec<AggregateCall>,
    ) -> BResult<()> {
        let expanded;
        let args = match args
            .iter()
            .position(|arg| matches!(arg.value.kind, ExprKind::Star))
        {
            Some(star) => {
                expanded = expand_star(args, star, row, plain_keys)?;
                expanded.as_slice()
            }
            None => args,
        };
        let Some(by) = args.first() else {
            return Err(Diagnostic::new(
                DiagnosticKind::Type,
                "arg_max/arg_min need at least one argument",
                item.span,
            ));
        };
        // Names given name the first columns (`by` first); the others keep derived, unique names.
        if item.names.len() > args.len() {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "more names than returned columns",
                item.span,
            ));
        }
        let by_bound = self.scalar(&by.value, row)?;
        let extreme = if function.name == "arg_max" { "max" } else { "min" };
        for (index, arg) in args.iter().enumerate() {
            let bound = self.scalar(&arg.value, row)?;
            let explicit = item.names.get(index).map(|n| n.name.as_str());
            // The value without a name of its own is named after the extreme: `max_`, as `max(x * 2)`.
            let unnamed_value = format!("{extreme}_");
            let derived = (index == 0 && crate::names::derived(&arg.value, self.catalog).is_none())
                .then_some(unnamed_value.as_str());
            let name = namer.name(explicit.or(derived), &arg.value);
            let name = if explicit.is_some() {
                name
            } else {
                unique(&name, |c| columns.iter().any(|k| k.name == c))
            };
            columns.push(Column::new(name, bound.ty));
            let (aggregate, call_args) = if index == 0 {
                (extreme, vec![by_bound.clone()])
            } else {
                (function.name.as_str(), vec![by_bound.clone(), bound.clone()])
            };
            calls.push(AggregateCall {
                function: aggregate.to_string(),
                args: call_args,
                ty: bound.ty,
                span: item.span,
            });
        }
        Ok(())
    }

    /// `take_any(x, y, ...)` and `take_any(*)` (every input column but the plain group keys): one
    /// column per value, all "calculated over a single record" (the page). Each is the value of the
    /// record that comes first in the order of all the values, so the columns agree on one record (two
    /// records first in that order hold the same values).
    #[allow(clippy::too_many_arguments)]
    fn take_any_columns(
        &mut self,
        item: &NamedExpr,
        function: &Ident,
        args: &[Arg],
        row: &[Column],
        plain_keys: &[&str],
        namer: &mut Namer,
        columns: &mut Vec<Column>,
        calls: &mut Vec<AggregateCall>,
    ) -> BResult<()> {
        let expanded;
        let args = match args {
            [star] if matches!(star.value.kind, ExprKind::Star) => {
                expanded = column_args(row, plain_keys, star.span);
                expanded.as_slice()
            }
            _ if args.iter().any(|arg| matches!(arg.value.kind, ExprKind::Star)) => {
                return Err(Diagnostic::new(
                    DiagnosticKind::Semantic,
                    format!("`*` must be the only argument of {}", function.name),
                    item.span,
                ));
            }
            _ => args,
        };
        if item.names.len() > args.len() {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "more names than returned columns",
                item.span,
            ));
        }
        let values = args
            .iter()
            .map(|arg| self.scalar(&arg.value, row))
            .collect::<BResult<Vec<_>>>()?;
        for (index, (arg, value)) in args.iter().zip(&values).enumerate() {
            // Named as the one-value call would be: `x` for take_any, `any_x` for the deprecated any.
            let single = Expr {
                kind: ExprKind::Call {
                    name: function.clone(),
                    args: vec![arg.clone()],
                },
                span: arg.span,
            };
            let explicit = item.names.get(index).map(|n| n.name.as_str());
            let name = namer.name(explicit, &single);
            let name = if explicit.is_some() {
                name
            } else {
                unique(&name, |c| columns.iter().any(|k| k.name == c))
            };
            columns.push(Column::new(name, value.ty));
            // The value, then the values ordering the records (see take_any's implementation).
            calls.push(AggregateCall {
                function: function.name.clone(),
                args: std::iter::once(value.clone())
                    .chain(values.iter().cloned())
                    .collect(),
                ty: value.ty,
                span: item.span,
            });
        }
        Ok(())
    }

    /// `percentiles(x, p1, p2, ...)`: one `percentile` column per p, named `percentile_x_p` unless
    /// the names are given (`(p5, p95) = percentiles(x, 5, 95)`); `percentilesw(x, w, p1, ...)` the
    /// same with `percentilew` and the weight.
    #[allow(clippy::too_many_arguments)]
    fn percentiles(
        &mut self,
        item: &NamedExpr,
        function: &Ident,
        args: &[Arg],
        row: &[Column],
        namer: &mut Namer,
        columns: &mut Vec<Column>,
        calls: &mut Vec<AggregateCall>,
    ) -> BResult<()> {
        let weighted = function.name == "percentilesw";
        let leading = if weighted { 2 } else { 1 };
        if args.len() <= leading {
            return Err(Diagnostic::new(
                DiagnosticKind::Type,
                format!(
                    "`{}` needs a value{} and percentiles",
                    function.name,
                    if weighted { ", a weight" } else { "" }
                ),
                item.span,
            ));
        }
        let (leading_args, points) = args.split_at(leading);
        if !item.names.is_empty() && item.names.len() != points.len() {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "one name is needed per percentile",
                item.span,
            ));
        }
        let value = self.ranked_value(&function.name, &leading_args[0], row)?;
        let weight = match leading_args.get(1) {
            Some(weight) => Some(self.repetition_weight(&function.name, weight, row)?),
            None => None,
        };
        let base = crate::names::derived(&leading_args[0].value, self.catalog).unwrap_or_default();
        for (index, point) in points.iter().enumerate() {
            let percent = self.scalar(&point.value, row)?;
            let name = match item.names.get(index) {
                Some(explicit) => namer.name(Some(&explicit.name), &point.value),
                None => {
                    let derived = format!("percentile_{base}_{}", crate::names::literal_text(&point.value));
                    namer.name(Some(&derived), &point.value)
                }
            };
            columns.push(Column::new(name, value.ty));
            calls.push(AggregateCall {
                function: if weighted { "percentilew" } else { "percentile" }.to_string(),
                args: std::iter::once(value.clone())
                    .chain(weight.clone())
                    .chain([percent])
                    .collect(),
                ty: value.ty,
                span: item.span,
            });
        }
        Ok(())
    }

    /// The value `percentiles` ranks: a number, datetime or timespan; other types are refused by
    /// name (Kusto.Language accepts strings and dynamic values and types decimals real, which no
    /// documented example shows the engine doing).
    fn ranked_value(&mut self, function: &str, arg: &Arg, row: &[Column]) -> BResult<BoundExpr> {
        use kql_types::KustoType as T;
        let value = self.scalar(&arg.value, row)?;
        match value.ty {
            T::Int | T::Long | T::Real | T::DateTime | T::TimeSpan => Ok(value),
            other => Err(Diagnostic::not_supported(
                format!(
                    "`{function}` of a {other} value: torhunt ranks int, long, real, datetime and timespan values"
                ),
                arg.value.span,
            )),
        }
    }

    /// The weight of `percentilesw`: a whole number, as Kusto.Language requires.
    fn repetition_weight(&mut self, function: &str, arg: &Arg, row: &[Column]) -> BResult<BoundExpr> {
        use kql_types::KustoType as T;
        let weight = self.scalar(&arg.value, row)?;
        match weight.ty {
            T::Int | T::Long => Ok(weight),
            other => Err(Diagnostic::new(
                DiagnosticKind::Type,
                format!("the weight of `{function}` must be an int or long, not {other}"),
                arg.value.span,
            )),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn arg_extreme(
        &mut self,
        input: Relation,
        keys: Vec<BoundExpr>,
        mut columns: Vec<Column>,
        max: bool,
        args: &[Arg],
        mut namer: Namer,
        span: Span,
    ) -> BResult<Relation> {
        let Some((first, rest)) = args.split_first() else {
            return Err(Diagnostic::new(
                DiagnosticKind::Type,
                "arg_max/arg_min need at least one argument",
                span,
            ));
        };
        let by = self.scalar(&first.value, &input.columns)?;
        let by_name = namer.name(None, &first.value);
        let mut outputs = vec![by.clone()];
        columns.push(Column::new(
            unique(&by_name, |c| columns.iter().any(|k| k.name == c)),
            by.ty,
        ));
        let star = rest.iter().any(|arg| matches!(arg.value.kind, ExprKind::Star));
        if star {
            if rest.len() > 1 {
                return Err(Diagnostic::not_supported(
                    "`*` mixed with other columns in arg_max/arg_min",
                    span,
                ));
            }
            for column in &input.columns {
                if columns.iter().any(|c| c.name == column.name) {
                    continue;
                }
                outputs.push(BoundExpr::column(column, span));
                columns.push(column.clone());
            }
        } else {
            for arg in rest {
                let bound = self.scalar(&arg.value, &input.columns)?;
                let explicit = arg.name.as_ref().map(|n| n.name.as_str());
                let name = namer.name(explicit, &arg.value);
                columns.push(Column::new(
                    unique(&name, |c| columns.iter().any(|k| k.name == c)),
                    bound.ty,
                ));
                outputs.push(bound);
            }
        }
        Ok(Relation::new(
            RelationKind::ArgExtreme {
                input: input.boxed(),
                keys,
                by,
                max,
                outputs,
            },
            columns,
            span,
        ))
    }
}
