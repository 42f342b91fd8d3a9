//! Window functions (`row_number`, `prev`, `next`, `row_cumsum`, `row_rank_min`, `row_rank_dense`,
//! `row_window_session`):
//! typed here, and evaluated by the planner over the serialized order of the rows.

use kql_syntax::ast::{self, Expr};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use super::coercion::convert;
use super::errors::arity;
use crate::bound::{BoundExpr, ExprKind, Value, WindowFunction};
use crate::catalog::Column;
use crate::{BResult, Binder};

impl Binder<'_> {
    pub(super) fn window(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let (function, ty) = match (ident.name.as_str(), values) {
            ("row_number", rest) if rest.len() <= 2 => {
                let start = match rest.first() {
                    Some(start) => self.constant_long(start)?,
                    None => 1,
                };
                let restart = self.restart(rest.get(1), row)?;
                (WindowFunction::RowNumber { start, restart }, KustoType::Long)
            }
            (name @ ("prev" | "next"), [value, rest @ ..]) if rest.len() <= 2 => {
                let value = self.scalar(value, row)?;
                let distance = match rest.first() {
                    Some(offset) => match self.constant_long(offset)? {
                        distance if distance >= 0 => distance,
                        _ => {
                            return Err(Diagnostic::not_supported(
                                format!("a negative `{name}` offset"),
                                offset.span,
                            ));
                        }
                    },
                    None => 1,
                };
                let default = match rest.get(1) {
                    Some(default) => {
                        let bound = self.scalar(default, row)?;
                        if bound.as_literal().is_none() {
                            return Err(Diagnostic::not_supported(
                                format!(
                                    "a `{name}` default that is not a constant: write \
                                     `iff(row_number() <= N, default, prev(x, N))` (for `next`, sort \
                                     the other way and use `prev`)"
                                ),
                                default.span,
                            ));
                        }
                        convert(bound, value.ty)
                    }
                    // Kusto strings are never null: past the edge a string reads as "".
                    None if value.ty == KustoType::String => {
                        BoundExpr::literal(Value::String(String::new()), span)
                    }
                    None => BoundExpr::literal(Value::Null(value.ty), span),
                };
                let offset = if name == "prev" { -distance } else { distance };
                let ty = value.ty;
                (
                    WindowFunction::Shift {
                        value,
                        offset,
                        default,
                    },
                    ty,
                )
            }
            ("row_cumsum", [value, rest @ ..]) if rest.len() <= 1 => {
                let value = self.scalar(value, row)?;
                let ty = match value.ty {
                    KustoType::Int | KustoType::Long => KustoType::Long,
                    KustoType::Real => KustoType::Real,
                    other => {
                        return Err(Diagnostic::not_supported(
                            format!("row_cumsum over {other} values"),
                            value.span,
                        ));
                    }
                };
                let restart = self.restart(rest.first(), row)?;
                (WindowFunction::CumulativeSum { value, restart }, ty)
            }
            (name @ ("row_rank_min" | "row_rank_dense"), [value, rest @ ..]) if rest.len() <= 1 => {
                let value = self.scalar(value, row)?;
                let restart = self.restart(rest.first(), row)?;
                let dense = name == "row_rank_dense";
                (
                    WindowFunction::Rank {
                        value,
                        restart,
                        dense,
                    },
                    KustoType::Long,
                )
            }
            ("row_window_session", [value, from_first, between, rest @ ..]) if rest.len() <= 1 => {
                let value = self.scalar(value, row)?;
                if value.ty != KustoType::DateTime {
                    return Err(Diagnostic::not_supported(
                        format!(
                            "row_window_session over {} values (its page defines it for datetime values \
                             and timespan distances)",
                            value.ty
                        ),
                        value.span,
                    ));
                }
                let from_first = self.timespan_argument(from_first, row)?;
                let between = self.timespan_argument(between, row)?;
                let restart = self.restart(rest.first(), row)?;
                (
                    WindowFunction::Session {
                        value,
                        from_first,
                        between,
                        restart,
                    },
                    KustoType::DateTime,
                )
            }
            ("row_number", _) => return Err(arity(ident, "0 to 2", values.len())),
            ("row_window_session", _) => return Err(arity(ident, "3 or 4", values.len())),
            ("prev" | "next", _) => return Err(arity(ident, "1 to 3", values.len())),
            _ => return Err(arity(ident, "1 or 2", values.len())),
        };
        Ok(BoundExpr::new(ExprKind::Window(Box::new(function)), ty, span))
    }

    /// A window function's optional `restart` condition, which must be a bool.
    fn restart(&mut self, restart: Option<&&Expr>, row: &[Column]) -> BResult<Option<BoundExpr>> {
        let Some(restart) = restart else { return Ok(None) };
        let bound = self.scalar(restart, row)?;
        if bound.ty != KustoType::Bool {
            return Err(Diagnostic::new(
                DiagnosticKind::Type,
                format!("the restart condition must be a bool, not {}", bound.ty),
                restart.span,
            ));
        }
        Ok(Some(bound))
    }

    /// A timespan argument (`row_window_session`'s distances).
    fn timespan_argument(&mut self, expr: &Expr, row: &[Column]) -> BResult<BoundExpr> {
        let bound = self.scalar(expr, row)?;
        match bound.ty {
            KustoType::TimeSpan => Ok(bound),
            KustoType::Dynamic => Ok(convert(bound, KustoType::TimeSpan)),
            other => Err(Diagnostic::new(
                DiagnosticKind::Type,
                format!("a timespan is expected here, not {other}"),
                expr.span,
            )),
        }
    }

    /// A constant whole number (a start value or an offset).
    fn constant_long(&mut self, expr: &Expr) -> BResult<i64> {
        match self.scalar(expr, &[])?.as_literal() {
            Some(Value::Long(n)) => Ok(*n),
            Some(Value::Int(n)) => Ok(i64::from(*n)),
            _ => Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "a constant whole number is expected here",
                expr.span,
            )),
        }
    }
}
