//! Rendering diagnostics at the edge: stderr, with colour when it is a terminal.

use std::io::IsTerminal;

use kql_syntax::Diagnostic;

/// Prints each diagnostic with its source line and a caret under the span.
pub fn print(diagnostics: &[Diagnostic], source_name: &str, source: &str) {
    let color = std::io::stderr().is_terminal();
    for diagnostic in diagnostics {
        eprint!("{}", diagnostic.render(source_name, source, color));
    }
}
