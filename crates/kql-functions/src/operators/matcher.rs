//! Needle matching shared by the string operators: substring and term matches over one or many
//! needles, case-sensitive or not, built once per needle set and then run over every row.
//!
//! Case-insensitive comparison is Unicode lower-casing; when both the row and the needles are ASCII
//! (the usual case) the automaton matches ASCII case-insensitively on the row as it is, without
//! lower-casing it.

use std::borrow::Cow;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use datafusion::arrow::array::{BooleanArray, BooleanBuilder};
use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::ColumnarValue;

use crate::string::kernel::{Args, Param, Params, Prepared};

/// Where a needle occurrence must sit relative to terms, Kusto's maximal runs of alphanumerics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// `contains`: anywhere.
    Anywhere,
    /// `has`: starting and ending at a term boundary.
    Term,
    /// `hasprefix`: starting at a term boundary.
    TermStart,
    /// `hassuffix`: ending at a term boundary.
    TermEnd,
}

/// Lower-cases text the way every case-insensitive comparison here does (per character, so that the
/// lowered row and the lowered needle agree).
pub(crate) fn lower(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) || !text.is_ascii() {
        Cow::Owned(text.chars().flat_map(char::to_lowercase).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// Finds which of a set of needles occur in a row under an [`Anchor`].
pub(crate) struct NeedleSet {
    anchor: Anchor,
    needles: Vec<NeedleShape>,
    /// Indexes of empty needles, which match every row.
    empty: Vec<usize>,
    /// Over the needles as given; ASCII case-insensitive unless case-sensitive.
    automaton: AhoCorasick,
    /// Over the lower-cased needles, for case-insensitive matching of non-ASCII rows.
    lowered: Option<AhoCorasick>,
}

/// Whether a needle's own first/last character already separates terms, so that side needs no
/// boundary ("abc.com" is found by `has` inside "x.abc.com.y").
struct NeedleShape {
    starts_with_separator: bool,
    ends_with_separator: bool,
}

fn is_term_char(c: char) -> bool {
    // A term is a maximal sequence of alphanumeric characters (Kusto docs, "What is a term?").
    c.is_alphanumeric()
}

impl NeedleSet {
    pub(crate) fn new<S: AsRef<str>>(needles: &[S], anchor: Anchor, case_sensitive: bool) -> Result<Self> {
        let shapes = needles
            .iter()
            .map(|n| {
                let n = n.as_ref();
                NeedleShape {
                    starts_with_separator: n.chars().next().is_some_and(|c| !is_term_char(c)),
                    ends_with_separator: n.chars().next_back().is_some_and(|c| !is_term_char(c)),
                }
            })
            .collect();
        let empty = (0..needles.len())
            .filter(|&i| needles[i].as_ref().is_empty())
            .collect::<Vec<_>>();
        // Empty needles are left out of the automata (they would match everywhere) by replacing them
        // with a pattern that cannot occur in UTF-8 text, which keeps pattern ids equal to indexes.
        const NEVER: &[u8] = b"\xff";
        let patterns = |lowered: bool| -> Vec<Vec<u8>> {
            needles
                .iter()
                .map(|n| match n.as_ref() {
                    "" => NEVER.to_vec(),
                    n if lowered => lower(n).into_owned().into_bytes(),
                    n => n.as_bytes().to_vec(),
                })
                .collect()
        };
        let build = |patterns: Vec<Vec<u8>>, ascii_case_insensitive: bool| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(ascii_case_insensitive)
                .build(patterns)
                .map_err(|e| DataFusionError::Execution(format!("cannot build needle matcher: {e}")))
        };
        let automaton = build(patterns(false), !case_sensitive)?;
        let lowered = if case_sensitive {
            None
        } else {
            Some(build(patterns(true), false)?)
        };
        Ok(NeedleSet {
            anchor,
            needles: shapes,
            empty,
            automaton,
            lowered,
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.needles.len()
    }

    /// Calls `found` with the index of each needle occurring in `row` (possibly more than once per
    /// needle) until it returns `true`; returns whether it did.
    pub(crate) fn find(&self, row: &str, mut found: impl FnMut(usize) -> bool) -> bool {
        for &index in &self.empty {
            if found(index) {
                return true;
            }
        }
        let (text, automaton) = match &self.lowered {
            Some(lowered) if !row.is_ascii() => (lower(row), lowered),
            _ => (Cow::Borrowed(row), &self.automaton),
        };
        for m in automaton.find_overlapping_iter(text.as_ref()) {
            let shape = &self.needles[m.pattern().as_usize()];
            let start_ok = shape.starts_with_separator
                || text[..m.start()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !is_term_char(c));
            let end_ok =
                shape.ends_with_separator || text[m.end()..].chars().next().is_none_or(|c| !is_term_char(c));
            let placed = match self.anchor {
                Anchor::Anywhere => true,
                Anchor::Term => start_ok && end_ok,
                Anchor::TermStart => start_ok,
                Anchor::TermEnd => end_ok,
            };
            if placed && found(m.pattern().as_usize()) {
                return true;
            }
        }
        false
    }

    /// Whether any needle occurs in `row`.
    pub(crate) fn any(&self, row: &str) -> bool {
        self.find(row, |_| true)
    }

    /// Whether every needle occurs in `row`; `seen` is scratch space reused across rows.
    pub(crate) fn all(&self, row: &str, seen: &mut Vec<bool>) -> bool {
        seen.clear();
        seen.resize(self.len(), false);
        let mut missing = self.len();
        if missing == 0 {
            return true;
        }
        self.find(row, |index| {
            if !seen[index] {
                seen[index] = true;
                missing -= 1;
            }
            missing == 0
        })
    }
}

/// Whether `row` starts with `needle`.
pub(crate) fn starts_with(row: &str, needle: &str, case_sensitive: bool) -> bool {
    if case_sensitive {
        row.starts_with(needle)
    } else if row.is_ascii() && needle.is_ascii() {
        row.len() >= needle.len() && row.as_bytes()[..needle.len()].eq_ignore_ascii_case(needle.as_bytes())
    } else {
        let mut row = row.chars().flat_map(char::to_lowercase);
        needle
            .chars()
            .flat_map(char::to_lowercase)
            .all(|c| row.next() == Some(c))
    }
}

/// Whether `row` ends with `needle`.
pub(crate) fn ends_with(row: &str, needle: &str, case_sensitive: bool) -> bool {
    if case_sensitive {
        row.ends_with(needle)
    } else if row.is_ascii() && needle.is_ascii() {
        row.len() >= needle.len()
            && row.as_bytes()[row.len() - needle.len()..].eq_ignore_ascii_case(needle.as_bytes())
    } else {
        let mut row = row.chars().rev().flat_map(|c| c.to_lowercase().rev());
        needle
            .chars()
            .rev()
            .flat_map(|c| c.to_lowercase().rev())
            .all(|c| row.next() == Some(c))
    }
}

/// Whether `a` and `b` are equal ignoring case.
pub(crate) fn equals_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
    }
}

/// `row OP needle` for a single-needle operator: arguments (row, needle), both strings; a scalar
/// needle is compiled once for the whole batch.
pub(crate) fn match_rows(args: &Args, anchor: Anchor, case_sensitive: bool) -> Result<ColumnarValue> {
    let (rows, needles) = (args.str(0)?, args.str(1)?);
    let mut prepared = Prepared::new();
    let mut result = BooleanBuilder::with_capacity(args.rows());
    for row in 0..args.rows() {
        let set = prepared.get(needles.get(row), |n| NeedleSet::new(&[n], anchor, case_sensitive))?;
        result.append_value(set.any(rows.get(row)));
    }
    args.finish(Arc::new(result.finish()))
}

/// `test(row, needle)` per row, for operators that compare whole strings or their ends.
pub(crate) fn compare_rows(args: &Args, test: fn(&str, &str) -> bool) -> Result<ColumnarValue> {
    let (rows, needles) = (args.str(0)?, args.str(1)?);
    let result: BooleanArray = (0..args.rows())
        .map(|row| Some(test(rows.get(row), needles.get(row))))
        .collect();
    args.finish(Arc::new(result))
}

/// The parameters of a binary string operator.
pub(crate) const STRING_PAIR: Params = Params::fixed(&[Param::Str, Param::Str]);

#[cfg(test)]
mod tests {
    use super::*;

    fn has(row: &str, needle: &str) -> bool {
        NeedleSet::new(&[needle], Anchor::Term, false).unwrap().any(row)
    }

    #[test]
    fn terms_follow_the_docs_example() {
        // "Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun": the terms are Kusto,
        // KustoExplorerQueryRun, ad67d136, c1db, 4f9f, 88ef, d94f3b6b0b5a.
        let row = "Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun";
        for term in [
            "Kusto",
            "kustoexplorerqueryrun",
            "ad67d136",
            "C1DB",
            "4f9f",
            "88ef",
            "d94f3b6b0b5a",
        ] {
            assert!(has(row, term), "{term}");
        }
        assert!(!has(row, "Explorer"));
        assert!(!has(row, "ad67"));
    }

    #[test]
    fn phrases_with_separators_need_no_boundary_on_that_side() {
        assert!(has("https://www.abc.com/path", "abc.com"));
        assert!(has("https://www.abc.com/path", ".com/"));
        assert!(!has("https://www.xabc.com/path", "abc.com"));
    }

    #[test]
    fn non_ascii_rows_match_case_insensitively() {
        assert!(has("Grüße AUS München", "münchen"));
        assert!(has("ÉCOLE normale", "école"));
        assert!(!has("Grüße aus Münchenstadt", "münchen"));
    }

    #[test]
    fn later_occurrences_are_found_when_earlier_ones_are_not_terms() {
        assert!(has("xabc abc", "abc"));
        let set = NeedleSet::new(&["abc", "zzz", ""], Anchor::Term, false).unwrap();
        let mut seen = Vec::new();
        assert!(!set.all("abc", &mut seen));
        assert!(set.all("zzz-abc", &mut seen));
    }
}
