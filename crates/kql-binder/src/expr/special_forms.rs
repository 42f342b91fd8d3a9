//! Special forms (the list of every one is `crate::special`): calls bound here by their own code
//! instead of a signature. This module dispatches them and binds the constants (`now`, `ago`,
//! `gettype`), `toscalar`, `column_ifexists`, `ingestion_time` and `extract` with a type;
//! [`super::conditional`] binds `iff`/`case`/`coalesce`/`not`, [`super::bag`] the bags of columns and
//! [`super::window`] the window functions.

use kql_syntax::ast::{self, Arg, Expr, ExprKind};
use kql_syntax::{Diagnostic, Span};
use kql_types::KustoType;

use super::coercion::convert;
use super::errors::{arity, type_error};
use crate::bound::{BinaryOp, BoundExpr, ExprKind as Bound, Value};
use crate::catalog::Column;
use crate::special::{Place, special_form};
use crate::{BResult, Binder};

impl Binder<'_> {
    /// Binds a call of a scalar special form (the list is `crate::special`); `None` when the call is not
    /// one (`extract` with three arguments and `extract_json` with two are the functions).
    pub(super) fn bind_special_form(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
        span: Span,
    ) -> Option<BResult<BoundExpr>> {
        let form = special_form(&ident.name).filter(|form| form.place == Place::Scalar)?;
        let typed_arity = match form.name {
            "extract" => Some(4),
            "extract_json" | "extractjson" => Some(3),
            _ => None,
        };
        if typed_arity.is_some_and(|typed| values.len() != typed) {
            return None;
        }
        Some(self.special_form_call(ident, values, row, span))
    }

    fn special_form_call(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let name = ident.name.as_str();
        match name {
            "now" | "ago" => self.now_or_ago(name, values, row, span),
            "gettype" => self.gettype(ident, values, row, span),
            "pack_all" => self.pack_all(ident, values, row, span),
            "bag_pack_columns" => self.pack_columns(ident, values, row, span),
            "extract" | "extract_json" | "extractjson" => self.extract_typed(ident, values, row, span),
            "row_number" | "prev" | "next" | "row_cumsum" | "row_rank_min" | "row_rank_dense"
            | "row_window_session" => self.window(ident, values, row, span),
            "toscalar" => self.toscalar(ident, values, row, span),
            "ingestion_time" if values.is_empty() => {
                Ok(BoundExpr::new(Bound::IngestionTime, KustoType::DateTime, span))
            }
            "ingestion_time" => Err(arity(ident, "0", values.len())),
            "iff" | "iif" => self.iff(ident, values, row, span),
            "case" => self.case(ident, values, row, span),
            "not" => self.negation(ident, values, row),
            "column_ifexists" | "columnifexists" => self.column_ifexists(ident, values, row, span),
            "coalesce" => self.coalesce(ident, values, row, span),
            _ => Err(self.unknown_function(ident)),
        }
    }

    /// `toscalar(T)`: the first column of the first row of a subquery; a scalar argument is itself.
    fn toscalar(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let [inner] = values[..] else {
            return Err(arity(ident, "1", values.len()));
        };
        if !self.is_tabular(inner) {
            return self.scalar(inner, row);
        }
        let relation = self.tabular(inner)?;
        let ty = relation.columns.first().map_or(KustoType::Dynamic, |c| c.ty);
        Ok(BoundExpr::new(
            Bound::ScalarSubquery(Box::new(relation)),
            ty,
            span,
        ))
    }

    /// `column_ifexists(name, default)`: the column of a constant name if the row has it, else the
    /// default.
    fn column_ifexists(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let [column, default] = values[..] else {
            return Err(arity(ident, "2", values.len()));
        };
        let name = match &self.scalar(column, row)?.kind {
            Bound::Literal(Value::String(name)) => name.clone(),
            _ => {
                return Err(type_error(
                    "the column name must be a constant string".into(),
                    column.span,
                ));
            }
        };
        match row.iter().find(|c| c.name == name) {
            Some(found) => Ok(BoundExpr::column(found, span)),
            None => self.scalar(default, row),
        }
    }

    /// `gettype(x)`: the binder knows the type of every non-dynamic value. A dynamic value's type
    /// depends on the row, which torhunt does not evaluate yet, so it is refused.
    fn gettype(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let [value] = values else {
            return Err(arity(ident, "1", values.len()));
        };
        let value = self.scalar(value, row)?;
        if value.ty == KustoType::Dynamic {
            return Err(Diagnostic::not_supported(
                "`gettype` of a dynamic value",
                value.span,
            ));
        }
        Ok(BoundExpr::literal(
            Value::String(value.ty.name().to_string()),
            span,
        ))
    }

    /// `extract(regex, group, text, typeof(T))` and `extract_json(path, json, typeof(T))`: the extracted
    /// text converted to `T` (null when the conversion fails, as Kusto's conversion functions give).
    fn extract_typed(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let name = ident.name.as_str();
        let Some((type_literal, values)) = values.split_last() else {
            return Err(arity(ident, "more", 0));
        };
        let ty = type_of_literal(type_literal).ok_or_else(|| {
            type_error(
                format!("the last argument of `{name}` must be a type literal such as `typeof(long)`"),
                type_literal.span,
            )
        })?;
        if ty == KustoType::Dynamic && name != "extract" {
            // Whether Kusto parses the text or keeps it as a dynamic string is not documented.
            return Err(Diagnostic::not_supported(
                format!("`{name}` converting to `typeof(dynamic)`; use `parse_json` on its string"),
                type_literal.span,
            ));
        }
        let signature = self
            .scalar_function(name)
            .ok_or_else(|| self.unknown_function(ident))?;
        let bound = values
            .iter()
            .map(|v| self.scalar(v, row))
            .collect::<BResult<Vec<_>>>()?;
        Ok(convert(self.apply(&signature, ident, bound, span)?, ty))
    }

    /// `now([offset])` and `ago(timespan)` as constants from the query's fixed `now`.
    fn now_or_ago(&mut self, name: &str, values: &[&Expr], row: &[Column], span: Span) -> BResult<BoundExpr> {
        let now = BoundExpr::literal(Value::DateTime(self.options.now), span);
        let offset = match values {
            [] if name == "now" => return Ok(now),
            [offset] => convert(self.scalar(offset, row)?, KustoType::TimeSpan),
            _ => {
                let expected = if name == "now" { "0 or 1" } else { "1" };
                let ident = ast::Ident {
                    name: name.to_string(),
                    span,
                };
                return Err(arity(&ident, expected, values.len()));
            }
        };
        match (offset.as_literal(), name) {
            (Some(Value::TimeSpan(t)), "now") => {
                Ok(BoundExpr::literal(Value::DateTime(self.options.now + t), span))
            }
            (Some(Value::TimeSpan(t)), _) => {
                Ok(BoundExpr::literal(Value::DateTime(self.options.now - t), span))
            }
            (_, "now") => self.arithmetic(BinaryOp::Add, now, offset, span),
            _ => self.arithmetic(BinaryOp::Sub, now, offset, span),
        }
    }
}

/// The type `T` of a `typeof(T)` literal.
fn type_of_literal(expr: &Expr) -> Option<KustoType> {
    let ExprKind::Call { name, args } = &expr.kind else {
        return None;
    };
    match args.as_slice() {
        [
            Arg {
                name: None, value, ..
            },
        ] if name.name == "typeof" => match &value.kind {
            ExprKind::Name(ty) => KustoType::from_name(&ty.name),
            _ => None,
        },
        _ => None,
    }
}
