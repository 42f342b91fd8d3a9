//! `parse` and `parse-where`: the pattern becomes one regular expression with a capture group per
//! extracted column; the planner only runs it.

use kql_syntax::ast::{Expr, ParseKind, ParsePart};
use kql_syntax::{Diagnostic, Span};
use kql_types::KustoType;

use crate::bound::{Relation, RelationKind};
use crate::catalog::Column;
use crate::expr::{convert, literal};
use crate::names::position;
use crate::{BResult, Binder};

/// The capture group for a column of a type: numbers match their digits, everything else lazily.
fn capture(ty: KustoType, last: bool) -> &'static str {
    match ty {
        KustoType::Int | KustoType::Long => r"(-?\d+)",
        KustoType::Real | KustoType::Decimal => r"(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)",
        // A string column that ends the pattern takes the rest of the text.
        _ if last => "(.*)",
        _ => "(.*?)",
    }
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
                ParsePart::Wildcard(_) => regex.push_str(if last { ".*" } else { ".*?" }),
                ParsePart::Column { name, ty } => {
                    let ty = ty
                        .as_ref()
                        .map(literal::type_named)
                        .transpose()?
                        .unwrap_or(KustoType::String);
                    regex.push_str(capture(ty, last));
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
        let relation = RelationKind::Parse {
            input: input.boxed(),
            source,
            regex,
            targets,
            drop_unmatched,
        };
        Ok(Relation::new(relation, columns, span))
    }
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
