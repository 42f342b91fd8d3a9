//! The type errors every construct reports: a wrong type, and a wrong number of arguments.

use kql_syntax::ast;
use kql_syntax::{Diagnostic, DiagnosticKind, Span};

pub(crate) fn type_error(message: String, span: Span) -> Diagnostic {
    Diagnostic::new(DiagnosticKind::Type, message, span)
}

pub(crate) fn arity(ident: &ast::Ident, expected: &str, got: usize) -> Diagnostic {
    type_error(
        format!(
            "function `{}` expects {expected} argument(s), got {got}",
            ident.name
        ),
        ident.span,
    )
}
