//! Names: a column of the row, a `let` value, or an error with a "did you mean"; and member access
//! (`d.key`, `d["key"]`, `d[0]`) on dynamic values.

use kql_syntax::ast;
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use super::errors::type_error;
use crate::bound::BoundExpr;
use crate::catalog::Column;
use crate::{BResult, Binder, Binding, names};

impl Binder<'_> {
    pub(super) fn name(&mut self, ident: &ast::Ident, row: &[Column]) -> BResult<BoundExpr> {
        if let Some(column) = row.iter().find(|column| column.name == ident.name) {
            return Ok(BoundExpr::column(column, ident.span));
        }
        match self.lookup(&ident.name) {
            Some(Binding::Scalar(value)) => {
                let mut value = value.clone();
                value.span = ident.span;
                return Ok(value);
            }
            Some(Binding::Tabular(_)) => {
                return Err(Diagnostic::new(
                    DiagnosticKind::Semantic,
                    format!("`{}` is a table; use toscalar() for a single value", ident.name),
                    ident.span,
                ));
            }
            Some(Binding::Function(_)) | None => {}
        }
        let lets = self.let_names();
        let candidates = row
            .iter()
            .map(|c| c.name.as_str())
            .chain(lets.iter().map(String::as_str));
        let mut diagnostic = Diagnostic::new(
            DiagnosticKind::UnknownName,
            format!("unknown column `{}`", ident.name),
            ident.span,
        );
        if let Some(close) = names::suggestion(&ident.name, candidates) {
            diagnostic.message = format!("unknown column `{}`; did you mean `{close}`?", ident.name);
            diagnostic = diagnostic.with_help(format!("did you mean `{close}`?"));
        }
        Err(diagnostic)
    }

    pub(super) fn member(&mut self, target: BoundExpr, key: BoundExpr, span: Span) -> BResult<BoundExpr> {
        if target.ty != KustoType::Dynamic {
            return Err(type_error(
                format!(
                    "members can only be taken from a dynamic value, not from {}",
                    target.ty
                ),
                target.span,
            ));
        }
        Ok(BoundExpr::call(
            "dynamic_get",
            vec![target, key],
            KustoType::Dynamic,
            span,
        ))
    }
}
