//! KQL front end: lexer, parser, AST with a byte span on every node, and diagnostics.
//!
//! Data only: nothing here knows about tables, types or DataFusion. `parse` turns text into an
//! [`ast::Query`] or a list of [`Diagnostic`]s.

pub mod ast;
pub mod diagnostic;
pub mod lexer;
mod parser;
pub mod span;
pub mod walk;

pub use diagnostic::{Diagnostic, DiagnosticKind};
pub use parser::{MAX_NESTING, parse};
pub use span::Span;
