//! Needle matching shared by the string operators: substring and term matches over one or many
//! needles, case-sensitive or not, built once per needle set and then run over every row.
//!
//! Case-insensitive comparison is Unicode lower-casing; when both the row and the needles are ASCII
//! (the usual case) the automaton matches ASCII case-insensitively on the row as it is, without
//! lower-casing it.
//!
//! A filter over a column of a whole batch first searches the batch's text at once
//! ([`NeedleSet::candidate_rows`]): an ASCII-case-insensitive automaton touches every byte, while a
//! case-sensitive search for the lower-cased needles over an ASCII-lower-cased copy of the text is a
//! vectorised one. Only rows holding a hit are then matched one by one (a selective hunt's `has`
//! filters leave few).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
use datafusion::arrow::array::{Array, BooleanArray, StringArray};
use datafusion::arrow::buffer::BooleanBuffer;
use datafusion::arrow::datatypes::ArrowNativeType;
use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::ColumnarValue;

use crate::string::kernel::{Args, Param, Params, Prepared, StrColumn};

/// Where a needle occurrence must sit relative to terms, Kusto's maximal runs of alphanumerics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// Needle sets built, per thread: a filter is called once per batch with the same needles, and
/// building the automata cost more than matching a selective filter's few candidate rows.
type SetKey = (Vec<String>, Anchor, bool);

/// Needle sets kept per thread before the cache is emptied (a query has a few; a per-row needle
/// column could have any number).
const SETS_KEPT: usize = 256;

thread_local! {
    static SETS: RefCell<HashMap<SetKey, Arc<NeedleSet>>> = RefCell::new(HashMap::new());
    /// The ASCII-lower-cased text of the batch being searched, kept between batches.
    static FOLDED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
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
    /// Searches a whole batch's text for rows that may hold a needle; `None` when it cannot tell
    /// (an empty needle matches every row, a non-ASCII needle's case variants are not bytes).
    batch: Option<BatchSearch>,
}

/// The needles searched over a batch's text: as given when case-sensitive, else lower-cased in the
/// text lower-cased (ASCII needles only).
struct BatchSearch {
    finder: AhoCorasick,
    folds: bool,
}

impl BatchSearch {
    /// The rows of `text` (the array's values from `offsets[0]` on) holding a hit, and when it folds,
    /// those with non-ASCII text.
    fn rows_with_hits(&self, text: &[u8], offsets: &[i32]) -> Vec<bool> {
        let rows = offsets.len() - 1;
        let base = offsets[0].as_usize();
        let row_end = |row: usize| offsets[row + 1].as_usize() - base;
        let mut candidates = vec![false; rows];
        let mut at = 0;
        // One hit marks its row; the search goes on at the next row's start, so a hit running over a
        // row's end (a false candidate) cannot hide one in the next row.
        while let Some(hit) = self.finder.find(Input::new(text).range(at..)) {
            let row = offsets.partition_point(|o| o.as_usize() - base <= hit.start()) - 1;
            candidates[row] = true;
            at = row_end(row);
        }
        if self.folds && !text.is_ascii() {
            for (row, candidate) in candidates.iter_mut().enumerate() {
                let start = offsets[row].as_usize() - base;
                *candidate |= !text[start..row_end(row)].is_ascii();
            }
        }
        candidates
    }
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
        let batch = if needles.is_empty() || !empty.is_empty() {
            None
        } else if case_sensitive {
            Some(BatchSearch {
                finder: automaton.clone(),
                folds: false,
            })
        } else if needles.iter().all(|n| n.as_ref().is_ascii()) {
            lowered.clone().map(|finder| BatchSearch { finder, folds: true })
        } else {
            None
        };
        Ok(NeedleSet {
            anchor,
            needles: shapes,
            empty,
            automaton,
            lowered,
            batch,
        })
    }

    /// The set of `needles`, built once per thread and reused.
    pub(crate) fn cached<S: AsRef<str>>(
        needles: &[S],
        anchor: Anchor,
        case_sensitive: bool,
    ) -> Result<Arc<Self>> {
        let key: SetKey = (
            needles.iter().map(|n| n.as_ref().to_string()).collect(),
            anchor,
            case_sensitive,
        );
        if let Some(set) = SETS.with_borrow(|sets| sets.get(&key).cloned()) {
            return Ok(set);
        }
        let set = Arc::new(NeedleSet::new(needles, anchor, case_sensitive)?);
        SETS.with_borrow_mut(|sets| {
            if sets.len() >= SETS_KEPT {
                sets.clear();
            }
            sets.insert(key, set.clone());
        });
        Ok(set)
    }

    /// [`NeedleSet::any`] on each of the first `count` rows, searching an array's whole text first.
    pub(crate) fn any_rows(&self, rows: &StrColumn<'_>, count: usize) -> BooleanArray {
        let candidates = match rows {
            StrColumn::Array(array) => self.candidate_rows(array),
            StrColumn::Scalar(_) => None,
        };
        let matches = BooleanBuffer::collect_bool(count, |row| {
            candidates.as_ref().is_none_or(|c| c[row]) && self.any(rows.get(row))
        });
        BooleanArray::new(matches, None)
    }

    /// Which rows of `rows` may hold a needle (a null row holds none): those where a needle's bytes
    /// occur (lower-cased in the lower-cased text when case-insensitive) and, case-insensitively,
    /// those with non-ASCII text (U+0130 and U+212A lower-case to ASCII letters). A row not marked
    /// holds no needle; a marked one must still be matched. `None` when the batch cannot be searched.
    pub(crate) fn candidate_rows(&self, rows: &StringArray) -> Option<Vec<bool>> {
        let batch = self.batch.as_ref()?;
        let offsets = rows.value_offsets();
        let base = offsets[0].as_usize();
        let text = &rows.value_data()[base..offsets[rows.len()].as_usize()];
        if !batch.folds {
            return Some(batch.rows_with_hits(text, offsets));
        }
        FOLDED.with_borrow_mut(|folded| {
            folded.clear();
            folded.extend(text.iter().map(u8::to_ascii_lowercase));
            Some(batch.rows_with_hits(folded, offsets))
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
    // ASCII bytes at the row's start are its first characters, each lower-cased on its own: they
    // decide without the rest of the row being looked at.
    let head = row.as_bytes().get(..needle.len());
    if case_sensitive {
        row.starts_with(needle)
    } else if let Some(head) = head.filter(|h| h.is_ascii() && needle.is_ascii()) {
        head.eq_ignore_ascii_case(needle.as_bytes())
    } else if row.is_ascii() && needle.is_ascii() {
        false // shorter than the needle
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
    // ASCII bytes at the row's end are its last characters (see `starts_with`).
    let tail = row
        .len()
        .checked_sub(needle.len())
        .map(|at| &row.as_bytes()[at..]);
    if case_sensitive {
        row.ends_with(needle)
    } else if let Some(tail) = tail.filter(|t| t.is_ascii() && needle.is_ascii()) {
        tail.eq_ignore_ascii_case(needle.as_bytes())
    } else if row.is_ascii() && needle.is_ascii() {
        false // shorter than the needle
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
/// needle is compiled once per thread and searched over the batch's whole text.
pub(crate) fn match_rows(args: &Args, anchor: Anchor, case_sensitive: bool) -> Result<ColumnarValue> {
    let (rows, needles) = (args.str(0)?, args.str(1)?);
    if let Some(needle) = needles.scalar() {
        let set = NeedleSet::cached(&[needle], anchor, case_sensitive)?;
        return args.finish(Arc::new(set.any_rows(&rows, args.rows())));
    }
    let mut prepared = Prepared::new();
    let matches = (0..args.rows())
        .map(|row| {
            let set = prepared.get(needles.get(row), |n| NeedleSet::new(&[n], anchor, case_sensitive))?;
            Ok(Some(set.any(rows.get(row))))
        })
        .collect::<Result<BooleanArray>>()?;
    args.finish(Arc::new(matches))
}

/// `test(row, needle)` per row, for operators that compare whole strings or their ends.
pub(crate) fn compare_rows(args: &Args, test: fn(&str, &str) -> bool) -> Result<ColumnarValue> {
    let (rows, needles) = (args.str(0)?, args.str(1)?);
    let matches = BooleanBuffer::collect_bool(args.rows(), |row| test(rows.get(row), needles.get(row)));
    args.finish(Arc::new(BooleanArray::new(matches, None)))
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

    proptest::proptest! {
        /// Every row a needle matches is a candidate of its batch, whatever the case, the anchor,
        /// non-ASCII text (U+0130 and the Kelvin sign lower-case to ASCII), nulls or the array's
        /// offset.
        #[test]
        fn rows_that_match_are_candidates(
            rows in proptest::collection::vec(
                proptest::option::weighted(0.9, "[aAbBkK\u{130}\u{212a}é .-]{0,8}"), 1..12),
            needles in proptest::collection::vec("[aAbBkKié.]{1,3}", 1..3),
            anchor in proptest::sample::select(vec![Anchor::Anywhere, Anchor::Term, Anchor::TermStart, Anchor::TermEnd]),
            case_sensitive in proptest::bool::ANY,
            skip in 0usize..3,
        ) {
            let set = NeedleSet::new(&needles, anchor, case_sensitive).unwrap();
            let array = StringArray::from(rows.clone());
            let skip = skip.min(rows.len() - 1);
            let array = array.slice(skip, rows.len() - skip);
            if let Some(candidates) = set.candidate_rows(&array) {
                for (row, candidate) in candidates.iter().enumerate() {
                    let text = rows[skip + row].as_deref().unwrap_or("");
                    proptest::prop_assert!(*candidate || !set.any(text), "{:?} in {:?}", needles, text);
                }
            }
        }
    }

    #[test]
    fn only_rows_holding_a_needle_are_candidates() {
        let rows = StringArray::from(vec![
            Some("x.TORRENT.y"),
            None,
            Some("plain"),
            Some("\u{212a}ey"),
            Some("to"),
            Some("rrent"),
        ]);
        let set = NeedleSet::new(&["torrent", "key"], Anchor::Term, false).unwrap();
        // "to" is a false candidate: the batch's text runs on into "rrent".
        assert_eq!(
            set.candidate_rows(&rows),
            Some(vec![true, false, false, true, true, false])
        );
        let exact = NeedleSet::new(&["TORRENT"], Anchor::Anywhere, true).unwrap();
        assert_eq!(
            exact.candidate_rows(&rows),
            Some(vec![true, false, false, false, false, false])
        );
        assert_eq!(
            NeedleSet::new(&["", "x"], Anchor::Anywhere, false)
                .unwrap()
                .candidate_rows(&rows),
            None
        );
    }
}
