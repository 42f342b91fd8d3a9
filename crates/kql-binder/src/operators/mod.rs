//! Binders for the tabular operators that reshape, aggregate or combine their input, one file per
//! family. Simple operators (`where`, `take`, `sort`, ...) are in [`crate::tabular`].

mod evaluate;
mod find;
mod geo_polygon_lookup;
mod invoke;
mod ip_lookup;
mod join;
mod make_series;
mod mv_expand;
mod parse;
mod parse_kv;
mod partition;
mod project;
mod sample;
mod scan;
mod search;
mod summarize;
mod top_nested;
mod tuple;
mod union;

pub(crate) use union::source_name;

use kql_syntax::ast::Ident;
use kql_syntax::{Diagnostic, DiagnosticKind};

use crate::catalog::Column;
use crate::names;

/// An unknown column in an operator that names columns (`project-away X`), with a suggestion.
pub(crate) fn unknown_column(ident: &Ident, columns: &[Column]) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        DiagnosticKind::UnknownName,
        format!("unknown column `{}`", ident.name),
        ident.span,
    );
    if let Some(close) = names::suggestion(&ident.name, columns.iter().map(|c| c.name.as_str())) {
        diagnostic.message = format!("unknown column `{}`; did you mean `{close}`?", ident.name);
        diagnostic = diagnostic.with_help(format!("did you mean `{close}`?"));
    }
    diagnostic
}
