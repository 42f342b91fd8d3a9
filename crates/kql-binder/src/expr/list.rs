//! `in`/`!in`/`in~` lists and `has_any`/`has_all`: the list's values (constant arrays spread into their
//! elements, a tabular operand as a subquery), converted to the target's type.

use kql_syntax::ast::Expr;
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use super::coercion::{as_text, comparable, convert};
use super::literal;
use crate::bound::{BoundExpr, ExprKind as Bound, Value};
use crate::catalog::Column;
use crate::{BResult, Binder};

impl Binder<'_> {
    /// The values of an `in`/`has_any` list: constant dynamic arrays are spread into their elements.
    fn list_values(&mut self, list: &[Expr], row: &[Column]) -> BResult<Vec<BoundExpr>> {
        let mut values = Vec::new();
        for item in list {
            let value = self.scalar(item, row)?;
            match value.as_literal() {
                Some(Value::Dynamic(json)) => {
                    let elements = literal::array_elements(json).ok_or_else(|| {
                        Diagnostic::not_supported("a list value that is not an array of scalars", value.span)
                    })?;
                    values.extend(
                        elements
                            .into_iter()
                            .map(|element| BoundExpr::literal(element, value.span)),
                    );
                }
                _ if value.ty == KustoType::Dynamic => {
                    return Err(Diagnostic::not_supported(
                        "a list value computed at run time",
                        value.span,
                    ));
                }
                _ => values.push(value),
            }
        }
        Ok(values)
    }

    pub(super) fn in_list(
        &mut self,
        target: &Expr,
        negated: bool,
        case_sensitive: bool,
        list: &[Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let mut target = self.scalar(target, row)?;
        if let [single] = list
            && self.is_tabular(single)
        {
            let relation = self.tabular(single)?;
            let Some(first) = relation.columns.first() else {
                return Err(Diagnostic::new(
                    DiagnosticKind::Semantic,
                    "the table has no columns",
                    single.span,
                ));
            };
            if !case_sensitive {
                return Err(Diagnostic::not_supported("`in~` with a tabular list", span));
            }
            if !comparable(target.ty, first.ty) {
                target = convert(target, first.ty);
            }
            return Ok(BoundExpr::new(
                Bound::InRelation {
                    expr: Box::new(target),
                    relation: Box::new(relation),
                    negated,
                },
                KustoType::Bool,
                span,
            ));
        }
        let values = self.list_values(list, row)?;
        if target.ty == KustoType::Dynamic {
            let ty = values.first().map_or(KustoType::String, |v| v.ty);
            target = convert(target, ty);
        }
        let list = if case_sensitive {
            values
                .into_iter()
                .map(|v| {
                    if comparable(target.ty, v.ty) {
                        v
                    } else {
                        convert(v, target.ty)
                    }
                })
                .collect()
        } else {
            target = as_text(target);
            values.into_iter().map(as_text).collect()
        };
        Ok(BoundExpr::new(
            Bound::InList {
                expr: Box::new(target),
                list,
                negated,
                case_sensitive,
            },
            KustoType::Bool,
            span,
        ))
    }

    pub(super) fn has_any(
        &mut self,
        target: &Expr,
        all: bool,
        list: &[Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let target = as_text(self.scalar(target, row)?);
        let values = self.list_values(list, row)?;
        let mut args = vec![target];
        args.extend(values.into_iter().map(as_text));
        Ok(BoundExpr::call(
            if all { "has_all" } else { "has_any" },
            args,
            KustoType::Bool,
            span,
        ))
    }
}
