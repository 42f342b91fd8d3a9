//! Rendering diagnostics at the edge: stderr, with colour when it is a terminal.

use std::io::IsTerminal;

use kql_syntax::Diagnostic;

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
        note_raw(&shown.render(&safe(source_name), &source, color));
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
