//! `parse` and `parse-where`: the pattern becomes one regular expression with a capture group per
//! extracted column; the planner only runs it.

use kql_syntax::ast::{Expr, ParseKind, ParsePart};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use crate::bound::{ParseCapture, Relation, RelationKind};
use crate::catalog::Column;
use crate::expr::{convert, literal};
use crate::names::position;
use crate::{BResult, Binder};

/// The capture group for a column of a type, named so that its number can be found after the
/// groups a `kind=regex` pattern's own text opens. Numbers match their digits. A string column
/// matches lazily in the simple kind (the shortest text before the next delimiter) and greedily in
/// the regex kind: the page's examples (`parse kind=regex ... resourceName ',' *` takes the text
/// up to the *last* comma, and only `flags=U` makes it stop at the first; "the default mode is
/// greedy") show it, although the page's description of the generated regex says `.*?`.
fn capture(ty: KustoType, kind: ParseKind, last: bool, name: &str) -> String {
    let body = match ty {
        KustoType::Int | KustoType::Long => r"-?\d+",
        KustoType::Real | KustoType::Decimal => r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?",
        // A string column that ends the pattern takes the rest of the text.
        _ if last || kind == ParseKind::Regex => ".*",
        _ => ".*?",
    };
    format!("(?P<{name}>{body})")
}

/// The name of the capture group of the `index`-th extracted column.
fn group_name(index: usize) -> String {
    format!("torhunt_parse_{index}")
}

impl Binder<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn parse(
        &mut self,
        input: Relation,
        drop_unmatched: bool,
        kind: ParseKind,
        flags: Option<&str>,
        source: &Expr,
        pattern: &[ParsePart],
        span: Span,
    ) -> BResult<Relation> {
        if kind == ParseKind::Relaxed {
            return Err(Diagnostic::not_supported("parse kind=relaxed", span));
        }
        let source = convert(self.scalar(source, &input.columns)?, KustoType::String);
        let mut regex = String::from("^");
        if let Some(flags) = flags.filter(|f| !f.is_empty()) {
            if !flags.chars().all(|c| matches!(c, 'i' | 'm' | 's' | 'U')) {
                return Err(Diagnostic::not_supported(format!("parse flags `{flags}`"), span));
            }
            regex = format!("(?{flags})^");
        }
        let mut columns = input.columns.clone();
        let mut targets = Vec::new();
        for (index, part) in pattern.iter().enumerate() {
            let last = index + 1 == pattern.len();
            match part {
                ParsePart::Text(text, _) if kind == ParseKind::Regex => regex.push_str(text),
                ParsePart::Text(text, _) => regex.push_str(&escape(text)),
                // `*` skips text like a string column does (lazily, greedily in the regex kind).
                ParsePart::Wildcard(_) => regex.push_str(if last || kind == ParseKind::Regex {
                    ".*"
                } else {
                    ".*?"
                }),
                ParsePart::Column { name, ty } => {
                    let ty = ty
                        .as_ref()
                        .map(literal::type_named)
                        .transpose()?
                        .unwrap_or(KustoType::String);
                    regex.push_str(&capture(ty, kind, last, &group_name(targets.len())));
                    let target = match position(&columns, &name.name) {
                        Some(existing) => {
                            columns[existing].ty = ty;
                            existing
                        }
                        None => {
                            columns.push(Column::new(&name.name, ty));
                            columns.len() - 1
                        }
                    };
                    targets.push(target);
                }
            }
        }
        let captures = number_groups(&regex, &targets, span)?;
        let relation = RelationKind::Parse {
            input: input.boxed(),
            source,
            regex,
            captures,
            drop_unmatched,
        };
        Ok(Relation::new(relation, columns, span))
    }
}

/// Compiles the pattern's regex (refusing one the regex engine rejects, with its reason) and finds
/// the group number of each extracted column by its name.
fn number_groups(regex: &str, targets: &[usize], span: Span) -> BResult<Vec<ParseCapture>> {
    let compiled = regex::Regex::new(regex).map_err(|e| {
        Diagnostic::new(
            DiagnosticKind::Semantic,
            format!("parse: the pattern is not a valid regular expression: {e}"),
            span,
        )
    })?;
    let names: Vec<Option<&str>> = compiled.capture_names().collect();
    targets
        .iter()
        .enumerate()
        .map(|(index, &column)| {
            let name = group_name(index);
            let group = names
                .iter()
                .position(|n| *n == Some(name.as_str()))
                .ok_or_else(|| {
                    Diagnostic::internal(format!("parse: capture group {name} not found"), span)
                })?;
            Ok(ParseCapture { group, column })
        })
        .collect()
}

/// Escapes regex metacharacters in literal pattern text.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
