//! The search kernel: finds which of a few needles occur in a record's bytes.
//!
//! aho-corasick's automaton gives up its SIMD prefilter (packed Teddy) when it matches ASCII case
//! insensitively, and then touches every byte; searching the case variants of each needle's first bytes
//! instead gives Teddy many patterns of common letters (`tor`, `TOR`, `tOr`, ...), which it tells apart
//! slowly. So case-insensitive needles are searched, folded, in a folded copy of the record (folding is
//! one vectorised pass), and case-sensitive needles in the record as written: each side is a packed
//! Teddy search over whole needles, or an automaton when it has too many patterns for Teddy (long `in`
//! lists). Every candidate is verified against the needles starting there, and placed (see `placement`)
//! on the record as written.
//!
//! Folding sets every byte's `0x20` bit ([`fold`]): an ASCII letter becomes its lower case, as
//! lower-casing would, and a few other bytes pair up (`@` and `` ` ``, `[` and `{`, `_` and DEL, control
//! characters and punctuation). Equality after folding is thus implied by ASCII-case-insensitive
//! equality, a superset like the whole prefilter, and it is one instruction per 16 bytes where
//! lower-casing took five.

use std::cell::RefCell;

use aho_corasick::packed::{self, Searcher};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};
use memchr::memmem::Finder;

use crate::condition::Edge;
use crate::placement::Layout;

/// More patterns than this go to the automaton (Teddy slows down with many buckets).
const TEDDY_PATTERNS: usize = 64;

thread_local! {
    /// The folded copy of the record being searched, kept between records.
    static FOLDED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A byte as the folded side of the kernel searches it (see the module's documentation).
fn fold(byte: u8) -> u8 {
    byte | 0x20
}

/// Searches `record` folded: `search` is given the folded copy.
fn with_folded<T>(record: &[u8], search: impl FnOnce(&[u8]) -> T) -> T {
    FOLDED.with_borrow_mut(|copy| {
        copy.clear();
        copy.extend(record.iter().map(|&b| fold(b)));
        search(copy)
    })
}

/// One needle as searched: its bytes in the record's encoding, and where an occurrence must sit.
#[derive(Debug, Clone)]
pub(crate) struct Form {
    pub bytes: Vec<u8>,
    pub case_sensitive: bool,
    /// The edges the searched bytes' start and end must be at (free where they are only a piece of
    /// the needle).
    pub edges: (Edge, Edge),
}

/// One searched pattern of a side.
struct Pattern {
    needle: usize,
    bytes: Vec<u8>,
    edges: (Edge, Edge),
}

enum Engine {
    /// One pattern (a table's name, a lone `has`): memchr's search, which picks the pattern's rarest
    /// bytes, beats Teddy's nibble masks.
    One(Finder<'static>),
    Teddy(Searcher),
    Automaton(AhoCorasick),
}

/// The needles searched in one text (the record, or its folded copy), as the bytes searched there.
struct Side {
    /// Pattern `i` of the engine is `patterns[i]`.
    patterns: Vec<Pattern>,
    engine: Engine,
}

pub(crate) struct Kernel {
    /// Case-sensitive needles, searched in the record as written.
    exact: Option<Side>,
    /// Case-insensitive needles, lower-cased, searched in the record lower-cased.
    folded: Option<Side>,
}

impl Kernel {
    /// A kernel over `forms`; forms marked `None` are not searched.
    pub fn new(forms: Vec<Option<Form>>) -> Kernel {
        let (mut exact, mut folded) = (Vec::new(), Vec::new());
        for (needle, form) in forms.into_iter().enumerate() {
            let Some(form) = form.filter(|form| !form.bytes.is_empty()) else {
                continue;
            };
            let (side, bytes) = if form.case_sensitive {
                (&mut exact, form.bytes)
            } else {
                (&mut folded, form.bytes.iter().map(|&b| fold(b)).collect())
            };
            side.push(Pattern {
                needle,
                bytes,
                edges: form.edges,
            });
        }
        Kernel {
            exact: Side::new(exact),
            folded: Side::new(folded),
        }
    }

    /// Marks in `found` the needles occurring in `record` where `layout` lets them sit, stopping as
    /// soon as `enough` (given the needle just found) says so; returns whether it did.
    pub fn search(
        &self,
        record: &[u8],
        layout: &Layout<'_>,
        found: &mut [bool],
        enough: &mut dyn FnMut(usize, &[bool]) -> bool,
    ) -> bool {
        if let Some(exact) = &self.exact
            && exact.search(record, record, layout, found, enough)
        {
            return true;
        }
        let Some(folded) = &self.folded else {
            return false;
        };
        with_folded(record, |copy| folded.search(copy, record, layout, found, enough))
    }
}

impl Kernel {
    /// Adds to `starts` where every needle occurrence in `record` that `layout` lets sit starts (in no
    /// particular order, possibly repeated).
    pub fn occurrences(&self, record: &[u8], layout: &Layout<'_>, starts: &mut Vec<usize>) {
        if let Some(exact) = &self.exact {
            exact.occurrences(record, record, layout, starts);
        }
        if let Some(folded) = &self.folded {
            with_folded(record, |copy| folded.occurrences(copy, record, layout, starts));
        }
    }
}

impl Side {
    fn new(patterns: Vec<Pattern>) -> Option<Side> {
        if patterns.is_empty() {
            return None;
        }
        if let [pattern] = &patterns[..] {
            let engine = Engine::One(Finder::new(&pattern.bytes).into_owned());
            return Some(Side { patterns, engine });
        }
        let teddy = (patterns.len() <= TEDDY_PATTERNS)
            .then(|| {
                packed::Config::new()
                    .match_kind(packed::MatchKind::LeftmostFirst)
                    .builder()
                    .extend(patterns.iter().map(|p| &p.bytes))
                    .build()
            })
            .flatten();
        let engine = match teddy {
            Some(teddy) => Engine::Teddy(teddy),
            None => {
                let build = |kind| {
                    AhoCorasickBuilder::new()
                        .match_kind(MatchKind::Standard)
                        .kind(kind)
                        .build(patterns.iter().map(|p| &p.bytes))
                };
                // A DFA scans fastest (a join's thousands of keys make a few MiB of it with byte
                // classes); beyond its size limit, the automaton aho-corasick picks itself.
                Engine::Automaton(
                    build(Some(AhoCorasickKind::DFA))
                        .or_else(|_| build(None))
                        .expect("a few thousand short needles fit the automaton"),
                )
            }
        };
        Some(Side { patterns, engine })
    }

    /// Whether pattern `pattern` occurs at `start` of `text` (the searched form of `record`), placed
    /// in `record` as `layout` allows.
    fn occurs_at(
        &self,
        pattern: usize,
        text: &[u8],
        record: &[u8],
        start: usize,
        layout: &Layout<'_>,
    ) -> bool {
        let Pattern { bytes, edges, .. } = &self.patterns[pattern];
        text[start..].starts_with(bytes) && layout.places(record, start, start + bytes.len(), *edges)
    }

    /// [`Kernel::occurrences`] over this side's needles in `text`, the searched form of `record`.
    fn occurrences(&self, text: &[u8], record: &[u8], layout: &Layout<'_>, starts: &mut Vec<usize>) {
        match &self.engine {
            Engine::One(finder) => {
                // Overlapping occurrences too: one may be placed where an earlier one is not.
                let mut at = 0;
                while let Some(offset) = finder.find(&text[at..]) {
                    if self.occurs_at(0, text, record, at + offset, layout) {
                        starts.push(at + offset);
                    }
                    at += offset + 1;
                }
            }
            Engine::Teddy(teddy) => {
                let mut at = 0;
                while let Some(m) = teddy.find_in(text, aho_corasick::Span::from(at..text.len())) {
                    if (0..self.patterns.len()).any(|p| self.occurs_at(p, text, record, m.start(), layout)) {
                        starts.push(m.start());
                    }
                    at = m.start() + 1;
                }
            }
            Engine::Automaton(automaton) => {
                for m in automaton.find_overlapping_iter(Input::new(text)) {
                    if self.occurs_at(m.pattern().as_usize(), text, record, m.start(), layout) {
                        starts.push(m.start());
                    }
                }
            }
        }
    }

    /// [`Kernel::search`] over this side's needles in `text`, the searched form of `record`.
    fn search(
        &self,
        text: &[u8],
        record: &[u8],
        layout: &Layout<'_>,
        found: &mut [bool],
        enough: &mut dyn FnMut(usize, &[bool]) -> bool,
    ) -> bool {
        let mut candidate = |pattern: usize, start: usize, found: &mut [bool]| {
            let needle = self.patterns[pattern].needle;
            if !found[needle] && self.occurs_at(pattern, text, record, start, layout) {
                found[needle] = true;
                return enough(needle, found);
            }
            false
        };
        match &self.engine {
            Engine::One(finder) => {
                let mut at = 0;
                while let Some(offset) = finder.find(&text[at..]) {
                    if candidate(0, at + offset, found) {
                        return true;
                    }
                    at += offset + 1;
                }
                false
            }
            Engine::Teddy(teddy) => {
                let mut at = 0;
                // Teddy reports one pattern per position: every pattern is tried where a candidate
                // starts, and the search restarts one byte after it, which keeps overlapping ones.
                while let Some(m) = teddy.find_in(text, aho_corasick::Span::from(at..text.len())) {
                    for pattern in 0..self.patterns.len() {
                        if candidate(pattern, m.start(), found) {
                            return true;
                        }
                    }
                    at = m.start() + 1;
                }
                false
            }
            Engine::Automaton(automaton) => {
                for m in automaton.find_overlapping_iter(Input::new(text)) {
                    if candidate(m.pattern().as_usize(), m.start(), found) {
                        return true;
                    }
                }
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(needles: &[(&str, bool)], record: &str) -> Vec<bool> {
        let kernel = Kernel::new(
            needles
                .iter()
                .map(|(n, cs)| {
                    Some(Form {
                        bytes: n.as_bytes().to_vec(),
                        case_sensitive: *cs,
                        edges: (Edge::Free, Edge::Free),
                    })
                })
                .collect(),
        );
        let mut found = vec![false; needles.len()];
        kernel.search(record.as_bytes(), &Layout::Json, &mut found, &mut |_, _| false);
        found
    }

    #[test]
    fn overlapping_candidates_are_all_verified() {
        // "aab" starts inside the failed candidate "aaa..." at 0.
        assert_eq!(found(&[("aab", false)], "aaab"), vec![true]);
        assert_eq!(
            found(&[("TorR", false), ("orr", true)], "xtoRRent"),
            vec![true, false]
        );
        // Two needles starting at the same byte.
        assert_eq!(
            found(&[("tor", false), ("torrent", true)], "a torrent"),
            vec![true, true]
        );
    }

    #[test]
    fn a_lone_needle_is_placed_at_every_occurrence_overlapping_ones_too() {
        for case_sensitive in [true, false] {
            let kernel = Kernel::new(vec![Some(Form {
                bytes: b"aa".to_vec(),
                case_sensitive,
                edges: (Edge::Free, Edge::Value),
            })]);
            // "aa" at 7 is followed by `a`, at 8 by the closing quote.
            let mut found = vec![false];
            assert!(kernel.search(br#"{"a":"xaaa"}"#, &Layout::Json, &mut found, &mut |_, _| true));
            let mut starts = Vec::new();
            kernel.occurrences(br#"{"a":"xaaa"}"#, &Layout::Json, &mut starts);
            assert_eq!(starts, [8]);
        }
    }

    #[test]
    fn folding_pairs_bytes_but_places_needles_on_the_record() {
        assert_eq!(found(&[("A_b@", false)], "xa_B@y"), vec![true]);
        // `[` folds to `{`, which a value does not follow; the edge is read on the record as written.
        let kernel = Kernel::new(vec![Some(Form {
            bytes: b"TRUE".to_vec(),
            case_sensitive: false,
            edges: (Edge::Value, Edge::Value),
        })]);
        let mut found = vec![false];
        assert!(kernel.search(br#"{"a":[True]}"#, &Layout::Json, &mut found, &mut |_, _| true));
    }

    #[test]
    fn many_needles_use_the_automaton() {
        let needles: Vec<String> = (0..200).map(|i| format!("10.0.{i}.1")).collect();
        let mut list: Vec<(&str, bool)> = needles.iter().map(|n| (n.as_str(), true)).collect();
        list.push(("TOR", false));
        let hits = found(&list, "ip 10.0.7.1 via tor");
        assert!(hits[7] && hits[200]);
        assert_eq!(hits.iter().filter(|h| **h).count(), 2);
    }
}
