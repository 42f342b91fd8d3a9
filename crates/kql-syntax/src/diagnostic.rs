//! Errors as data: every stage reports problems as [`Diagnostic`]s pointing at a [`Span`] of the query;
//! only the edge (the CLI, `torhunt`'s `diagnostics`) renders them, with the source line and a caret
//! under the span.

use std::fmt;

use crate::span::Span;

/// What kind of problem a diagnostic reports; also its stable code (`kql::syntax`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiagnosticKind {
    /// The text is not valid KQL.
    Syntax,
    /// Valid KQL that torhunt does not implement yet; never answered with a guess.
    NotSupported,
    /// A name that does not resolve (table, column, function, `let`).
    UnknownName,
    /// Operands or arguments of the wrong type, wrong argument count, ...
    Type,
    /// Any other semantic error found while binding or planning.
    Semantic,
    /// A failure while running the query (bad input data, resource limits, ...).
    Execution,
    /// A broken invariant of torhunt itself (a stage handed the next one something it cannot have
    /// made): a bug to report, not a problem of the query.
    Internal,
}

impl DiagnosticKind {
    pub fn code(self) -> &'static str {
        match self {
            DiagnosticKind::Syntax => "kql::syntax",
            DiagnosticKind::NotSupported => "kql::not_supported",
            DiagnosticKind::UnknownName => "kql::unknown_name",
            DiagnosticKind::Type => "kql::type",
            DiagnosticKind::Semantic => "kql::semantic",
            DiagnosticKind::Execution => "kql::execution",
            DiagnosticKind::Internal => "kql::internal",
        }
    }
}

/// One problem found in a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub kind: DiagnosticKind,
    pub message: String,
    pub span: Span,
    /// Text shown under the caret; defaults to nothing.
    pub label: Option<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(kind: DiagnosticKind, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            kind,
            message: message.into(),
            span,
            label: None,
            help: None,
        }
    }

    pub fn syntax(message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::new(DiagnosticKind::Syntax, message, span)
    }

    /// "not supported yet: `what`", for valid KQL torhunt refuses rather than guess at.
    pub fn not_supported(what: impl fmt::Display, span: Span) -> Diagnostic {
        Diagnostic::new(
            DiagnosticKind::NotSupported,
            format!("not supported yet: {what}"),
            span,
        )
    }

    /// "internal: `what`", for a broken invariant of torhunt itself (see [`DiagnosticKind::Internal`]).
    pub fn internal(what: impl fmt::Display, span: Span) -> Diagnostic {
        Diagnostic::new(DiagnosticKind::Internal, format!("internal: {what}"), span)
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// 1-based line and column (in characters) of the span's start in `source`.
    pub fn line_column(&self, source: &str) -> (usize, usize) {
        let start = self.span.start.min(source.len());
        let before = &source[..floor_char_boundary(source, start)];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

fn floor_char_boundary(source: &str, mut index: usize) -> usize {
    while index > 0 && !source.is_char_boundary(index) {
        index -= 1;
    }
    index
}
