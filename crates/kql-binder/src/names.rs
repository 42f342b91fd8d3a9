//! Kusto's column naming: names derived from unnamed expressions, generated `ColumnN` names, unique
//! suffixes, wildcards and "did you mean" suggestions.

use kql_syntax::ast::{Expr, ExprKind, Literal};

use kql_types::signature::ResultName;

use crate::catalog::{Catalog, Column};
use crate::special::special_form;

/// The name Kusto derives for an unnamed expression, if any: a column keeps its name, `d.a` and
/// `d['a']` become `d_a`, and functions follow their [`ResultName`] rule (`sum(X)` is `sum_X`,
/// `tostring(X)` is `X`, `bin(Timestamp, 1h)` is `Timestamp`).
pub(crate) fn derived(expr: &Expr, catalog: &dyn Catalog) -> Option<String> {
    let derived = |expr: &Expr| derived(expr, catalog);
    match &expr.kind {
        ExprKind::Name(ident) if !ident.name.contains('*') => Some(ident.name.clone()),
        ExprKind::Paren(inner) => derived(inner),
        ExprKind::Member { target, name } => Some(format!("{}_{}", derived(target)?, name.name)),
        ExprKind::Index { target, index } => match &index.kind {
            ExprKind::Literal(Literal::String(key)) => Some(format!("{}_{key}", derived(target)?)),
            ExprKind::Literal(Literal::Long(i)) => Some(format!("{}_{i}", derived(target)?)),
            _ => None,
        },
        ExprKind::Call { name, args } => {
            let naming = match catalog.function(&name.name) {
                Some(signature) => signature.naming,
                None => special_form(&name.name)?.naming,
            };
            let first = args.first().and_then(|arg| derived(&arg.value));
            match naming {
                ResultName::Generated => None,
                ResultName::Fixed(name) => Some(name.to_string()),
                ResultName::FirstArgument => first,
                ResultName::Prefixed(prefix) => Some(format!("{prefix}_{}", first.unwrap_or_default())),
                ResultName::PrefixedPair(prefix) => {
                    let second = args.get(1).and_then(|arg| derived(&arg.value));
                    Some(format!(
                        "{prefix}_{}_{}",
                        first.unwrap_or_default(),
                        second.unwrap_or_default()
                    ))
                }
                ResultName::Percentile => {
                    // The percentile is the last argument (`percentile(x, p)`, `percentilew(x, w, p)`).
                    let percent = args
                        .get(1..)
                        .and_then(<[_]>::last)
                        .map(|arg| literal_text(&arg.value))
                        .unwrap_or_default();
                    Some(format!("percentile_{}_{percent}", first.unwrap_or_default()))
                }
            }
        }
        _ => None,
    }
}

/// A numeric literal as Kusto writes it in a name (`50`, `99_9` for 99.9).
pub(crate) fn literal_text(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Literal(Literal::Long(n)) => n.to_string(),
        ExprKind::Literal(Literal::Real(x)) => x.to_string().replace('.', "_"),
        _ => String::new(),
    }
}

/// Hands out the output names of one operator: explicit names, derived names, and `ColumnN` for
/// the rest (the smallest N not yet given out by this operator).
pub(crate) struct Namer<'c> {
    /// Where function signatures, and so their naming rules, come from.
    catalog: &'c dyn Catalog,
    given: Vec<String>,
}

impl<'c> Namer<'c> {
    pub(crate) fn new(catalog: &'c dyn Catalog) -> Namer<'c> {
        Namer {
            catalog,
            given: Vec::new(),
        }
    }

    /// The name for an expression: its explicit name, else its derived name, else `ColumnN`.
    pub(crate) fn name(&mut self, explicit: Option<&str>, expr: &Expr) -> String {
        let name = match explicit
            .map(str::to_string)
            .or_else(|| derived(expr, self.catalog))
        {
            Some(name) => name,
            None => (1..)
                .map(|n| format!("Column{n}"))
                .find(|candidate| !self.given.contains(candidate))
                .unwrap_or_default(),
        };
        self.given.push(name.clone());
        name
    }
}

/// `name`, or `name` with the smallest numeric suffix that is not taken (`DeviceId1`).
pub(crate) fn unique(name: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(name) {
        return name.to_string();
    }
    (1..)
        .map(|n| format!("{name}{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or_default()
}

/// Whether a name matches a pattern with `*` wildcards (`Remote*`, `*Id`, `*`).
pub(crate) fn matches_wildcard(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = parts.collect();
    let Some((last, middle)) = pieces.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// The closest candidate to a misspelt name, when one is close enough to be a likely typo.
pub fn suggestion<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let limit = (name.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|candidate| {
            (
                strsim::levenshtein(&name.to_lowercase(), &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// The index of a column by name.
pub(crate) fn position(columns: &[Column], name: &str) -> Option<usize> {
    columns.iter().position(|column| column.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_like_project_away() {
        assert!(matches_wildcard("Remote*", "RemoteUrl"));
        assert!(matches_wildcard("*Id", "DeviceId"));
        assert!(matches_wildcard("*", "x"));
        assert!(matches_wildcard("I*Process*Name", "InitiatingProcessFileName"));
        assert!(!matches_wildcard("Remote*", "LocalIP"));
        assert!(!matches_wildcard("a*a", "a"));
    }

    #[test]
    fn suggestions_catch_typos_only() {
        assert_eq!(
            suggestion("RemoteUrll", ["RemoteUrl", "RemoteIP"]),
            Some("RemoteUrl")
        );
        assert_eq!(suggestion("Foo", ["RemoteUrl"]), None);
    }

    #[test]
    fn unique_names_take_the_smallest_free_suffix() {
        let taken = ["DeviceId", "DeviceId1"];
        assert_eq!(unique("DeviceId", |n| taken.contains(&n)), "DeviceId2");
        assert_eq!(unique("X", |n| taken.contains(&n)), "X");
    }
}
