//! Rendering diagnostics at the edge: stderr, with colour when it is a terminal. The stages only return
//! [`Diagnostic`]s as data; this is the one place that draws them (with miette).

use std::fmt;
use std::io::IsTerminal;

use kql_syntax::{Diagnostic, Span};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

use crate::output::{note_raw, safe};

/// Prints each diagnostic with its source line and a caret under the span. The query text comes from
/// files others wrote: its control characters are replaced by characters of the same UTF-8 length (so
/// spans still point at the right place) and the messages are escaped, so rendering cannot drive the
/// terminal.
pub fn print(diagnostics: &[Diagnostic], source_name: &str, source: &str) {
    let color = std::io::stderr().is_terminal();
    let source = same_length_visible(source);
    for diagnostic in diagnostics {
        let mut shown = diagnostic.clone();
        shown.message = safe(&shown.message).into_owned();
        shown.label = shown.label.as_deref().map(|l| safe(l).into_owned());
        shown.help = shown.help.as_deref().map(|h| safe(h).into_owned());
        note_raw(&render(&shown, &safe(source_name), &source, color));
    }
}

/// `text` with every character [`safe`] would escape, except line breaks and tabs, replaced by `?`,
/// `¿` or `�` (one, two or three UTF-8 bytes, like the character replaced).
fn same_length_visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => c,
            c if safe(c.encode_utf8(&mut [0; 4])) == c.to_string() => c,
            c => match c.len_utf8() {
                1 => '?',
                2 => '¿',
                _ => '\u{FFFD}',
            },
        })
        .collect()
}

/// Renders a diagnostic for a terminal: its code and message, `name:line:column`, the source line and a
/// caret under the span, then the help.
pub fn render(diagnostic: &Diagnostic, source_name: &str, source: &str, color: bool) -> String {
    // miette draws no caret for an empty span at the very end of the text ("expected ... found end
    // of query"), so the text gets a trailing blank for the caret to point at.
    let mut text = source.to_string();
    let span = clamp(diagnostic.span, source);
    if span.is_empty() && span.start == text.len() {
        text.push(' ');
    }
    // miette appends `:line:column` of the first label to the name itself.
    let named = NamedSource::new(source_name, text);
    let report = Rendered {
        diagnostic,
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
            let (line, column) = diagnostic.line_column(source);
            format!("error: {} at {source_name}:{line}:{column}\n", diagnostic.message)
        }
    }
}

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
        let span = (self.span.start, self.span.len());
        let label = LabeledSpan::new_with_span(self.diagnostic.label.clone(), span);
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

#[cfg(test)]
mod tests {
    //! The parser's error cases, rendered: each `crates/kql-syntax/tests/cases/errors/NAME.kql` must fail
    //! to parse, and its rendering (code, message, `NAME.kql:line:column`, source line, caret, help) must
    //! equal `NAME.txt` beside it. `UPDATE_SNAPSHOTS=1` writes missing or changed `.txt` files for review.

    use std::path::{Path, PathBuf};

    use kql_syntax::DiagnosticKind;

    use super::*;

    fn cases_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../kql-syntax/tests/cases/errors")
    }

    #[test]
    fn rendered_errors_match_their_snapshots() {
        let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
        let mut paths: Vec<PathBuf> = std::fs::read_dir(cases_dir())
            .expect("kql-syntax/tests/cases/errors exists")
            .map(|entry| entry.expect("readable directory entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "kql"))
            .collect();
        paths.sort();
        assert!(!paths.is_empty(), "no .kql cases found");
        let mut failures = Vec::new();
        for path in paths {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .expect("UTF-8 file name")
                .to_string();
            let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
            let rendered = match kql_syntax::parse(&source) {
                Ok(_) => {
                    failures.push(format!("{name}: parsed, but an error was expected"));
                    continue;
                }
                Err(diagnostics) => render(&diagnostics[0], &name, &source, false),
            };
            let snapshot = path.with_extension("txt");
            let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
            if rendered != expected {
                if update {
                    std::fs::write(&snapshot, &rendered)
                        .unwrap_or_else(|e| panic!("{}: {e}", snapshot.display()));
                } else {
                    failures.push(format!("{name}: rendered\n{rendered}\nexpected\n{expected}"));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    }

    #[test]
    fn spans_outside_the_text_or_inside_a_character_still_render() {
        let source = "print 'é'";
        for (start, end) in [
            (0, 100),
            (8, 8),
            (8, 9),
            (100, 200),
            (9, 3),
            (source.len(), source.len()),
        ] {
            let diagnostic = Diagnostic::new(DiagnosticKind::Syntax, "bad", Span { start, end });
            let rendered = render(&diagnostic, "query", source, false);
            assert!(
                rendered.contains("kql::syntax") && rendered.contains("bad"),
                "{rendered}"
            );
        }
    }
}
