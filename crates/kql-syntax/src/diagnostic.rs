//! Errors as data: every stage reports problems as [`Diagnostic`]s pointing at a [`Span`] of the query;
//! only the edge (the CLI) renders them, with the source line and a caret under the span.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

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

    /// Renders the diagnostic for a terminal: message, `name:line:column`, the source line and a caret
    /// under the span, then the help.
    pub fn render(&self, source_name: &str, source: &str, color: bool) -> String {
        // miette draws no caret for an empty span at the very end of the text ("expected ... found end
        // of query"), so the text gets a trailing blank for the caret to point at.
        let mut text = source.to_string();
        let span = clamp(self.span, source);
        if span.is_empty() && span.start == text.len() {
            text.push(' ');
        }
        // miette appends `:line:column` of the first label to the name itself.
        let named = NamedSource::new(source_name, text);
        let report = Rendered {
            diagnostic: self,
            source: named,
            span,
        };
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let mut out = String::new();
        match GraphicalReportHandler::new_themed(theme)
            .with_width(110)
            .render_report(&mut out, &report)
        {
            Ok(()) => out,
            Err(_) => {
                let (line, column) = self.line_column(source);
                format!("error: {} at {source_name}:{line}:{column}\n", self.message)
            }
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// Adapts a [`Diagnostic`] and its source text to miette's renderer.
struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    source: NamedSource<String>,
    /// The span to underline, clamped to the source.
    span: Span,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.kind.code()))
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = LabeledSpan::new_with_span(self.diagnostic.label.clone(), self.span);
        Some(Box::new(std::iter::once(label)))
    }
}

/// Keeps a span inside the source and on character boundaries, so rendering never panics.
fn clamp(span: Span, source: &str) -> Span {
    let start = floor_char_boundary(source, span.start.min(source.len()));
    let end = floor_char_boundary(source, span.end.clamp(start, source.len()));
    Span::new(start, end)
}

fn floor_char_boundary(source: &str, mut index: usize) -> usize {
    while index > 0 && !source.is_char_boundary(index) {
        index -= 1;
    }
    index
}
