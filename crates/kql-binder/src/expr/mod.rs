//! Scalar expressions, bound by construct (as DataFusion's `sql/src/expr/` plans them): this module
//! dispatches on the kind of expression; [`identifier`] binds names and member access, [`literal`]
//! literals, [`operator`] operators (their operands' conversions and result types in [`operands`]), [`list`] `in` and `has_any` lists, [`function`] function calls,
//! [`special_forms`] (with [`conditional`], [`bag`] and [`window`]) the calls the binder binds itself,
//! [`coercion`] holds Kusto's implicit conversions and [`errors`] the type errors they all report. Conversions are made explicit here (a `dynamic` compared with a string becomes
//! `tostring(d)`), so the planner never has to guess.

mod bag;
mod coercion;
mod conditional;
mod errors;
mod function;
mod identifier;
mod list;
pub(crate) mod literal;
mod operands;
mod operator;
mod special_forms;
mod window;

use kql_syntax::ast::{self, Expr, ExprKind, UnaryOp};
use kql_syntax::{Diagnostic, DiagnosticKind};
use kql_types::KustoType;

pub(crate) use coercion::convert;
use errors::type_error;
pub(crate) use operator::{not, string_predicate};

use crate::bound::{BoundExpr, Value};
use crate::catalog::Column;
use crate::special::{Place, special_form};
use crate::{BResult, Binder, Binding};

impl Binder<'_> {
    /// Whether an expression denotes a table rather than a scalar.
    pub(crate) fn is_tabular(&self, expr: &Expr) -> bool {
        match &expr.kind {
            ExprKind::Pipe { .. } | ExprKind::Source(_) => true,
            ExprKind::Paren(inner) => self.is_tabular(inner),
            ExprKind::Name(ident) => match self.lookup(&ident.name) {
                Some(Binding::Tabular(_)) => true,
                Some(_) => false,
                None => self.catalog.table_schema(&ident.name).is_some() || ident.name.contains('*'),
            },
            ExprKind::Call { name, .. } => match self.lookup(&name.name) {
                Some(Binding::Function(def)) => def.body.last().is_some_and(|last| match &last.kind {
                    ast::StatementKind::Expr(body) => self.is_tabular(body),
                    _ => false,
                }),
                Some(_) => false,
                None => special_form(&name.name).is_some_and(|form| form.place == Place::Tabular),
            },
            _ => false,
        }
    }

    /// Binds a scalar expression over the columns of `row`.
    pub(crate) fn scalar(&mut self, expr: &Expr, row: &[Column]) -> BResult<BoundExpr> {
        let span = expr.span;
        match &expr.kind {
            ExprKind::Literal(lit) => Ok(BoundExpr::literal(literal::value(lit, span)?, span)),
            ExprKind::Name(ident) => self.name(ident, row),
            ExprKind::Paren(inner) => self.scalar(inner, row),
            ExprKind::Member { target, name } => {
                // Inside `scan`, `Step.Column` is a value of a step's state: a column of the scan row.
                if let ExprKind::Name(step) = &target.kind {
                    let state = crate::bound::scan_state_column(&step.name, &name.name);
                    if let Some(column) = row.iter().find(|c| c.name == state) {
                        return Ok(BoundExpr::column(column, span));
                    }
                }
                let target = self.scalar(target, row)?;
                let key = BoundExpr::literal(Value::String(name.name.clone()), name.span);
                self.member(target, key, span)
            }
            ExprKind::Index { target, index } => {
                let target = self.scalar(target, row)?;
                let index = self.scalar(index, row)?;
                let index = match index.ty {
                    KustoType::String => index,
                    KustoType::Int | KustoType::Long => convert(index, KustoType::Long),
                    other => {
                        return Err(type_error(
                            format!("an index must be a string or a long, not {other}"),
                            index.span,
                        ));
                    }
                };
                self.member(target, index, span)
            }
            ExprKind::Unary {
                op: UnaryOp::Plus,
                operand,
            } => self.plus(operand, row, span),
            ExprKind::Unary {
                op: UnaryOp::Neg,
                operand,
            } => self.negate(operand, row, span),
            ExprKind::Binary { op, left, right } => self.binary(*op, left, right, row, span),
            ExprKind::In {
                expr: target,
                negated,
                case_sensitive,
                list,
            } => self.in_list(target, *negated, *case_sensitive, list, row, span),
            ExprKind::HasAny {
                expr: target,
                all,
                list,
            } => self.has_any(target, *all, list, row, span),
            ExprKind::Between {
                expr: target,
                negated,
                low,
                high,
            } => self.between((target, low, high), *negated, row, span),
            ExprKind::Call { name, args } => self.call(name, args, row, span),
            ExprKind::Star => Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "`*` is not a value here",
                span,
            )),
            ExprKind::Pipe { .. } | ExprKind::Source(_) | ExprKind::ImplicitInput => Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "a tabular expression is not allowed here; use toscalar() for a single value",
                span,
            )),
        }
    }
}
