//! `summarize`: group keys, then aggregates, named as Kusto names them (`count_`, `dcount_X`,
//! `set_X`, ...). `arg_max`/`arg_min` bind to their own relation, since they return whole rows.

use kql_syntax::ast::{Arg, Expr, ExprKind, NamedExpr, OperatorParam};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};

use crate::bound::{AggregateCall, BoundExpr, ExprKind as Bound, Relation, RelationKind};
use crate::catalog::Column;
use crate::names::{Namer, unique};
use crate::scalar::unknown_function;
use crate::tabular::check_params;
use crate::{BResult, Binder, functions};

fn strip_parens(expr: &Expr) -> &Expr {
    match &expr.kind {
        ExprKind::Paren(inner) => strip_parens(inner),
        _ => expr,
    }
}

fn single_name(item: &NamedExpr) -> BResult<Option<&str>> {
    match item.names.as_slice() {
        [] => Ok(None),
        [name] => Ok(Some(name.name.as_str())),
        _ => Err(Diagnostic::not_supported("several names for one aggregate", item.span)),
    }
}

impl Binder<'_> {
    pub(crate) fn summarize(
        &mut self,
        input: Relation,
        params: &[OperatorParam],
        aggregates: &[NamedExpr],
        by: &[NamedExpr],
        span: Span,
    ) -> BResult<Relation> {
        check_params(params, &[], "summarize")?;
        let mut namer = Namer::default();
        let mut columns: Vec<Column> = Vec::new();
        let mut keys = Vec::new();
        for item in by {
            let bound = self.scalar(&item.expr, &input.columns)?;
            let name = namer.name(single_name(item)?, &item.expr);
            columns.push(Column::new(name, bound.ty));
            keys.push(bound);
        }
        let arg_extreme = aggregates.iter().find_map(|item| match &strip_parens(&item.expr).kind {
            ExprKind::Call { name, args } if matches!(name.name.as_str(), "arg_max" | "arg_min") => {
                Some((item, name, args))
            }
            _ => None,
        });
        if let Some((item, name, args)) = arg_extreme {
            if aggregates.len() > 1 {
                return Err(Diagnostic::not_supported(format!("`{}` together with other aggregates", name.name), item.span));
            }
            if !item.names.is_empty() {
                return Err(Diagnostic::not_supported(format!("naming the result of `{}`", name.name), item.span));
            }
            return self.arg_extreme(input, keys, columns, name.name == "arg_max", args, namer, span);
        }
        let mut calls = Vec::new();
        for item in aggregates {
            let expr = strip_parens(&item.expr);
            let ExprKind::Call { name, args } = &expr.kind else {
                return Err(Diagnostic::not_supported("expressions over aggregate results in `summarize`", item.expr.span));
            };
            let Some(signature) = functions::aggregate(&name.name) else {
                if functions::scalar(&name.name).is_some() {
                    return Err(Diagnostic::not_supported(
                        "expressions over aggregate results in `summarize`",
                        item.expr.span,
                    ));
                }
                return Err(unknown_function(name));
            };
            let bound_args = args
                .iter()
                .map(|arg| self.scalar(&arg.value, &input.columns))
                .collect::<BResult<Vec<_>>>()?;
            let call = self.apply(signature, name, bound_args, expr.span)?;
            let Bound::Call { args: converted, .. } = call.kind else {
                return Err(Diagnostic::new(DiagnosticKind::Semantic, "malformed aggregate", expr.span));
            };
            let explicit = single_name(item)?;
            let derived = namer.name(explicit, expr);
            let name_out = if explicit.is_some() {
                derived
            } else {
                unique(&derived, |candidate| columns.iter().any(|c| c.name == candidate))
            };
            columns.push(Column::new(name_out, call.ty));
            calls.push(AggregateCall { function: signature.name.to_string(), args: converted, ty: call.ty, span: expr.span });
        }
        Ok(Relation::new(RelationKind::Summarize { input: input.boxed(), keys, aggregates: calls }, columns, span))
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
            return Err(Diagnostic::new(DiagnosticKind::Type, "arg_max/arg_min need at least one argument", span));
        };
        let by = self.scalar(&first.value, &input.columns)?;
        let by_name = namer.name(None, &first.value);
        let mut outputs = vec![by.clone()];
        columns.push(Column::new(unique(&by_name, |c| columns.iter().any(|k| k.name == c)), by.ty));
        let star = rest.iter().any(|arg| matches!(arg.value.kind, ExprKind::Star));
        if star {
            if rest.len() > 1 {
                return Err(Diagnostic::not_supported("`*` mixed with other columns in arg_max/arg_min", span));
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
                columns.push(Column::new(unique(&name, |c| columns.iter().any(|k| k.name == c)), bound.ty));
                outputs.push(bound);
            }
        }
        Ok(Relation::new(RelationKind::ArgExtreme { input: input.boxed(), keys, by, max, outputs }, columns, span))
    }
}
