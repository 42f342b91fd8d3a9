//! Bags of columns: `pack_all`, `bag_pack_columns`, and the bag of given columns `find` outputs, all
//! as `bag_pack("Col1", Col1, ...)`.

use kql_syntax::ast::{self, Expr, ExprKind};
use kql_syntax::{Diagnostic, Span};

use super::errors::{arity, type_error};
use crate::bound::{BoundExpr, Value};
use crate::catalog::Column;
use crate::{BResult, Binder};

impl Binder<'_> {
    /// `pack_all([ignore_null_empty])`: a bag of every column of the row, by name, as
    /// `bag_pack("Col1", Col1, ...)`; null values are kept unless `ignore_null_empty` is true.
    pub(super) fn pack_all(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let ignore_null_empty = match values {
            [] => false,
            [flag] => match self.scalar(flag, row)?.as_literal() {
                Some(Value::Bool(flag)) => *flag,
                _ => {
                    return Err(type_error(
                        "the argument of `pack_all` must be a constant bool".into(),
                        flag.span,
                    ));
                }
            },
            _ => return Err(arity(ident, "0 or 1", values.len())),
        };
        if ignore_null_empty {
            return Err(Diagnostic::not_supported("`pack_all(true)`", span));
        }
        self.column_bag(row, span)
    }

    /// A bag of `columns`, each under its own name: `bag_pack("Col1", Col1, ...)`.
    pub(crate) fn column_bag(&mut self, columns: &[Column], span: Span) -> BResult<BoundExpr> {
        let mut args = Vec::new();
        for column in columns {
            args.push(BoundExpr::literal(Value::String(column.name.clone()), span));
            args.push(BoundExpr::column(column, span));
        }
        let ident = ast::Ident {
            name: "bag_pack".to_string(),
            span,
        };
        self.bag_pack(&ident, args, span)
    }

    /// `bag_pack(key1, value1, ...)` of already bound keys and values.
    fn bag_pack(&mut self, ident: &ast::Ident, args: Vec<BoundExpr>, span: Span) -> BResult<BoundExpr> {
        let signature = self
            .scalar_function("bag_pack")
            .ok_or_else(|| self.unknown_function(ident))?;
        self.apply(&signature, ident, args, span)
    }

    /// `bag_pack_columns(Col1, Col2, ...)`: a bag of the named columns, each under its own name, as
    /// `bag_pack("Col1", Col1, ...)`.
    pub(super) fn pack_columns(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        if values.is_empty() {
            return Err(arity(ident, "at least 1", 0));
        }
        let mut args = Vec::new();
        for value in values {
            let ExprKind::Name(name) = &value.kind else {
                return Err(type_error(
                    "the arguments of `bag_pack_columns` must be column names".into(),
                    value.span,
                ));
            };
            args.push(BoundExpr::literal(Value::String(name.name.clone()), name.span));
            args.push(self.name(name, row)?);
        }
        self.bag_pack(ident, args, span)
    }
}
