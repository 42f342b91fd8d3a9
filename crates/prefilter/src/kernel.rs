//! The search kernel: finds which of a few needles occur in a record's bytes.
//!
//! aho-corasick's automaton gives up its SIMD prefilter (packed Teddy) when it matches ASCII case
//! insensitively, and then touches every byte. Teddy itself is case-blind by construction, though: it
//! tests each byte's low and high nibbles, and an ASCII letter's two cases differ in one high-nibble
//! bit. So a case-insensitive needle is searched as the case variants of its first bytes, in one
//! bucket (Teddy groups patterns by their low nibbles, which the variants share): the search runs at
//! the speed of the needle alone, over the record as written, with no folded copy. Each Teddy pattern
//! is the first [`PREFIX`] bytes of a needle (fewer masks scan faster; the needles are rare enough
//! that few candidates come of it); every candidate is verified against the whole needles starting
//! there, and placed (see `placement`).
//!
//! The escapes that may hide a needle in JSON (`\u00..`, see `escapes`) are searched in the same pass
//! when they can be: a record where no needle was found then needs no second pass for them.
//!
//! Where the variants do not fit one Teddy search (more than [`TEDDY_BUCKETS`] needles, or more than
//! [`TEDDY_PATTERNS`] patterns), case-insensitive needles are searched, folded, in a folded copy of the
//! record (one vectorised pass), and case-sensitive needles in the record as written, by an automaton
//! when they are too many for Teddy (long `in` lists). Folding sets every byte's `0x20` bit ([`fold`]):
//! an ASCII letter becomes its lower case, as lower-casing would, and a few other bytes pair up (`@`
//! and `` ` ``, `[` and `{`, control characters and punctuation): a superset like the whole prefilter.

use std::cell::RefCell;

use aho_corasick::packed::{self, Searcher};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};
use memchr::memmem::Finder;

use crate::condition::Edge;
use crate::placement::Layout;

/// aho-corasick's own limit: more patterns than this overwhelm Teddy's verification.
const TEDDY_PATTERNS: usize = 64;

/// Slim Teddy's buckets: one per needle keeps each bucket's masks exact; past this, needles share
/// buckets (and fat Teddy halves the bytes per step).
const TEDDY_BUCKETS: usize = 8;

/// The bytes of each needle Teddy searches: three masks scan faster than four, and measured on
/// Defender's records, the needles' first three bytes start a candidate every few tens of KiB.
const PREFIX: usize = 3;

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

/// How a pattern's bytes are compared with the text searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compare {
    Exact,
    IgnoreAsciiCase,
}

/// One searched pattern of a side.
struct Pattern {
    needle: usize,
    bytes: Vec<u8>,
    compare: Compare,
    edges: (Edge, Edge),
    /// Where in `bytes` the piece Teddy searches for it starts (case-insensitive patterns; see
    /// [`rare_window`]).
    window: usize,
}

impl Pattern {
    /// The Teddy patterns that find every occurrence of this one: itself when exact (Teddy verifies
    /// it whole); when it ignores case, its `prefix` bytes from `window` in every ASCII case.
    fn teddy_patterns(&self, prefix: usize) -> Vec<Vec<u8>> {
        if self.compare == Compare::Exact {
            return vec![self.bytes.clone()];
        }
        let mut variants = vec![Vec::with_capacity(prefix)];
        for &b in &self.bytes[self.window..self.window + prefix] {
            let cases = match b.is_ascii_alphabetic() {
                true => vec![b.to_ascii_lowercase(), b.to_ascii_uppercase()],
                false => vec![b],
            };
            variants = variants
                .iter()
                .flat_map(|v| cases.iter().map(move |&c| [&v[..], &[c]].concat()))
                .collect();
        }
        variants
    }

    /// Whether it occurs at `start` of `text` (the searched form of `record`), placed in `record` as
    /// `layout` allows.
    fn occurs_at(&self, text: &[u8], record: &[u8], start: usize, layout: &Layout<'_>) -> bool {
        let end = start + self.bytes.len();
        let Some(there) = text.get(start..end) else {
            return false;
        };
        let equal = match self.compare {
            Compare::Exact => there == self.bytes,
            Compare::IgnoreAsciiCase => there.eq_ignore_ascii_case(&self.bytes),
        };
        equal && layout.places(record, start, end, self.edges)
    }
}

enum Engine {
    /// One exact pattern (a table's name, a lone `has_cs`): memchr's search, which picks the
    /// pattern's rarest bytes, beats Teddy's nibble masks.
    One(Finder<'static>),
    /// Every pattern's first bytes (see [`Pattern::teddy_prefixes`]), and the escapes'.
    Teddy(Searcher),
    Automaton(AhoCorasick),
}

/// The needles searched in one text (the record, or its folded copy), as the bytes searched there.
struct Side {
    /// Pattern `i` of an automaton is `patterns[i]`.
    patterns: Vec<Pattern>,
    /// Escapes searched in the same pass (a Teddy side's only), each as the bytes an escape that may
    /// hide a needle starts with.
    escapes: Vec<Vec<u8>>,
    engine: Engine,
}

pub(crate) struct Kernel {
    /// Needles searched in the record as written: the case-sensitive ones, and the case-insensitive
    /// ones too when their case variants fit the same Teddy search.
    raw: Option<Side>,
    /// Case-insensitive needles that did not fit, folded, searched in the record folded.
    folded: Option<Side>,
}

/// What a search learnt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Search {
    /// `enough` said the needles found so far are enough, for the occurrence starting at `at`. Every
    /// occurrence lying wholly in `record[..at]` had been marked before it, and no escape searched
    /// for starts there (0 when that cannot be told: the folded pass follows the whole raw one).
    Enough { at: usize },
    /// The whole record was searched; `escape_from` tells where the first of the escapes given to
    /// [`Kernel::new`] starts: `None` when there is none, 0 when they were not searched for (an
    /// escape may hide a needle anywhere).
    Exhausted { escape_from: Option<usize> },
}

impl Kernel {
    /// A kernel over `forms` (forms marked `None` are not searched) that also searches for `escapes`
    /// (the starts of escapes that may hide a needle) when it can do so in the same pass. `frequent`
    /// are words most records hold (their keys): a case-insensitive needle is searched by a piece of
    /// it they do not hold where it can.
    pub fn new(forms: Vec<Option<Form>>, escapes: &[&[u8]], frequent: &[&str]) -> Kernel {
        let mut patterns: Vec<Pattern> = forms
            .into_iter()
            .enumerate()
            .filter_map(|(needle, form)| Some((needle, form.filter(|form| !form.bytes.is_empty())?)))
            .map(|(needle, form)| Pattern {
                needle,
                compare: match form.case_sensitive {
                    true => Compare::Exact,
                    false => Compare::IgnoreAsciiCase,
                },
                bytes: form.bytes,
                edges: form.edges,
                window: 0,
            })
            .collect();
        if patterns.is_empty() {
            return Kernel {
                raw: None,
                folded: None,
            };
        }
        let escapes: Vec<Vec<u8>> = escapes.iter().map(|e| e.to_vec()).collect();
        let prefix = teddy_prefix(&patterns, &escapes);
        for pattern in patterns
            .iter_mut()
            .filter(|p| p.compare == Compare::IgnoreAsciiCase)
        {
            pattern.window = rare_window(&pattern.bytes, prefix, frequent);
        }
        if let Some(teddy) = Side::teddy(&patterns, &escapes, TEDDY_BUCKETS) {
            return Kernel {
                raw: Some(Side {
                    patterns,
                    escapes,
                    engine: Engine::Teddy(teddy),
                }),
                folded: None,
            };
        }
        let (exact, insensitive): (Vec<Pattern>, Vec<Pattern>) =
            patterns.into_iter().partition(|p| p.compare == Compare::Exact);
        let folded = insensitive
            .into_iter()
            .map(|p| Pattern {
                bytes: p.bytes.iter().map(|&b| fold(b)).collect(),
                compare: Compare::Exact,
                window: 0,
                ..p
            })
            .collect();
        Kernel {
            raw: Side::new(exact),
            folded: Side::new(folded),
        }
    }

    /// Marks in `found` the needles occurring in `record` where `layout` lets them sit, stopping as
    /// soon as `enough` (given the needle just found) says so.
    pub fn search(
        &self,
        record: &[u8],
        layout: &Layout<'_>,
        found: &mut [bool],
        enough: &mut dyn FnMut(usize, &[bool]) -> bool,
    ) -> Search {
        let mut first_escape = None;
        if let Some(raw) = &self.raw
            && let Some(at) = raw.search(record, record, layout, found, enough, &mut first_escape)
        {
            return Search::Enough {
                at: first_escape.map_or(at, |escape| escape.min(at)),
            };
        }
        if let Some(folded) = &self.folded
            && with_folded(record, |copy| {
                folded.search(copy, record, layout, found, enough, &mut first_escape)
            })
            .is_some()
        {
            return Search::Enough { at: 0 };
        }
        Search::Exhausted {
            escape_from: match self.searches_escapes() {
                true => first_escape,
                false => Some(0),
            },
        }
    }

    /// Whether the search looks for the escapes given to [`Kernel::new`] (else the caller must).
    pub fn searches_escapes(&self) -> bool {
        self.raw.as_ref().is_some_and(|raw| !raw.escapes.is_empty())
    }
}

impl Kernel {
    /// Adds to `starts` where every needle occurrence in `record` that `layout` lets sit starts (in no
    /// particular order, possibly repeated).
    pub fn occurrences(&self, record: &[u8], layout: &Layout<'_>, starts: &mut Vec<usize>) {
        if let Some(raw) = &self.raw {
            raw.occurrences(record, record, layout, starts);
        }
        if let Some(folded) = &self.folded {
            with_folded(record, |copy| folded.occurrences(copy, record, layout, starts));
        }
    }
}

impl Side {
    /// One Teddy search for `patterns` and `escapes` (see the module's documentation), when there
    /// are no more than `max_groups` of them and their Teddy patterns fit.
    fn teddy(patterns: &[Pattern], escapes: &[Vec<u8>], max_groups: usize) -> Option<Searcher> {
        let groups_count = patterns.len() + escapes.len();
        if groups_count > max_groups {
            return None;
        }
        let prefix = teddy_prefix(patterns, escapes);
        let groups: Vec<Vec<Vec<u8>>> = patterns
            .iter()
            .map(|p| p.teddy_patterns(prefix))
            .chain(escapes.iter().map(|e| vec![e[..prefix].to_vec()]))
            .collect();
        // Teddy gives a bucket to each new low-nibble prefix by its pattern's index: each group's
        // first pattern comes first, so the groups spread over the buckets.
        let mut ordered: Vec<&Vec<u8>> = groups.iter().map(|g| &g[0]).collect();
        ordered.extend(groups.iter().flat_map(|g| &g[1..]));
        let mut seen = std::collections::HashSet::new();
        ordered.retain(|p| seen.insert(*p));
        if ordered.len() > TEDDY_PATTERNS {
            return None;
        }
        packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            // Past 32 patterns aho-corasick picks fat Teddy, half as fast; case variants share their
            // group's bucket, so slim Teddy's eight buckets hold up to eight groups exactly.
            .only_teddy_fat((groups_count <= TEDDY_BUCKETS).then_some(false))
            .builder()
            .extend(ordered)
            .build()
    }

    /// A side searching `patterns` only (no escapes).
    fn new(patterns: Vec<Pattern>) -> Option<Side> {
        if patterns.is_empty() {
            return None;
        }
        let engine = match &patterns[..] {
            [pattern] if pattern.compare == Compare::Exact => {
                Engine::One(Finder::new(&pattern.bytes).into_owned())
            }
            _ => match Side::teddy(&patterns, &[], TEDDY_PATTERNS) {
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
            },
        };
        Some(Side {
            patterns,
            escapes: Vec::new(),
            engine,
        })
    }

    /// The needles' patterns (with where they start) whose Teddy piece starts at `at` of `text` (the
    /// searched form of `record`), placed as `layout` allows.
    fn occurring_at<'a>(
        &'a self,
        text: &'a [u8],
        record: &'a [u8],
        at: usize,
        layout: &'a Layout<'_>,
    ) -> impl Iterator<Item = (&'a Pattern, usize)> + 'a {
        self.patterns.iter().filter_map(move |p| {
            let start = at.checked_sub(p.window)?;
            p.occurs_at(text, record, start, layout).then_some((p, start))
        })
    }

    /// [`Kernel::occurrences`] over this side's needles in `text`, the searched form of `record`.
    fn occurrences(&self, text: &[u8], record: &[u8], layout: &Layout<'_>, starts: &mut Vec<usize>) {
        let mut candidate = |at: usize| {
            starts.extend(
                self.occurring_at(text, record, at, layout)
                    .map(|(_, start)| start),
            );
        };
        match &self.engine {
            Engine::One(finder) => {
                each_start(finder, text, |at| {
                    candidate(at);
                    false
                });
            }
            Engine::Teddy(teddy) => {
                each_teddy_start(teddy, text, |at| {
                    candidate(at);
                    false
                });
            }
            Engine::Automaton(automaton) => {
                for m in automaton.find_overlapping_iter(Input::new(text)) {
                    if self.patterns[m.pattern().as_usize()].occurs_at(text, record, m.start(), layout) {
                        starts.push(m.start());
                    }
                }
            }
        }
    }

    /// [`Kernel::search`] over this side's needles in `text`, the searched form of `record`; returns
    /// where the occurrence starts that `enough` said was enough, and sets `first_escape` to where
    /// it first saw one of its escapes.
    fn search(
        &self,
        text: &[u8],
        record: &[u8],
        layout: &Layout<'_>,
        found: &mut [bool],
        enough: &mut dyn FnMut(usize, &[bool]) -> bool,
        first_escape: &mut Option<usize>,
    ) -> Option<usize> {
        let mut enough_at = None;
        // Every pattern is tried at a candidate, each where its piece would put its start (Teddy
        // reports one pattern per position, in order, and the search restarts one byte after it,
        // which keeps overlapping ones): an occurrence ending before a candidate's start was tried
        // at an earlier candidate.
        let candidate = |at: usize| {
            if first_escape.is_none() && self.escapes.iter().any(|e| text[at..].starts_with(e)) {
                *first_escape = Some(at);
            }
            for (pattern, start) in self.occurring_at(text, record, at, layout) {
                if !found[pattern.needle] {
                    found[pattern.needle] = true;
                    if enough(pattern.needle, found) {
                        enough_at = Some(start);
                        return true;
                    }
                }
            }
            false
        };
        let said_enough = match &self.engine {
            Engine::One(finder) => each_start(finder, text, candidate),
            Engine::Teddy(teddy) => each_teddy_start(teddy, text, candidate),
            // Overlapping matches come by their ends, in order.
            Engine::Automaton(automaton) => automaton.find_overlapping_iter(Input::new(text)).any(|m| {
                let pattern = &self.patterns[m.pattern().as_usize()];
                !found[pattern.needle] && pattern.occurs_at(text, record, m.start(), layout) && {
                    found[pattern.needle] = true;
                    enough_at = Some(m.start());
                    enough(pattern.needle, found)
                }
            }),
        };
        enough_at.filter(|_| said_enough)
    }
}

/// The length of the pieces Teddy searches case-insensitive patterns by: [`PREFIX`], or the shortest
/// such pattern or escape.
fn teddy_prefix(patterns: &[Pattern], escapes: &[Vec<u8>]) -> usize {
    patterns
        .iter()
        .filter(|p| p.compare == Compare::IgnoreAsciiCase)
        .map(|p| p.bytes.len())
        .chain(escapes.iter().map(Vec::len))
        .fold(PREFIX, usize::min)
}

/// Where the piece of `length` bytes of `needle` that the fewest `frequent` words hold (ignoring
/// case) starts, the first such piece. Keys recur in every record: a needle searched by a piece of a
/// key (`Dev` of `DeviceInfo`, next to every `DeviceId`) would start a candidate in every record.
fn rare_window(needle: &[u8], length: usize, frequent: &[&str]) -> usize {
    let length = length.min(needle.len());
    let holders = |piece: &[u8]| {
        frequent
            .iter()
            .filter(|word| {
                word.as_bytes()
                    .windows(piece.len())
                    .any(|w| w.eq_ignore_ascii_case(piece))
            })
            .count()
    };
    (0..=needle.len() - length)
        .min_by_key(|&at| holders(&needle[at..at + length]))
        .unwrap_or(0)
}

/// Calls `each` with every start of `finder`'s needle in `text`, overlapping ones too (one may be
/// placed where an earlier one is not), in order, until it returns `true`; returns whether it did.
fn each_start(finder: &Finder<'_>, text: &[u8], mut each: impl FnMut(usize) -> bool) -> bool {
    let mut at = 0;
    while let Some(offset) = finder.find(&text[at..]) {
        if each(at + offset) {
            return true;
        }
        at += offset + 1;
    }
    false
}

/// Calls `each` with every position of `text` where a Teddy pattern starts, in order, until it
/// returns `true`; returns whether it did.
fn each_teddy_start(teddy: &Searcher, text: &[u8], mut each: impl FnMut(usize) -> bool) -> bool {
    let mut at = 0;
    while let Some(m) = teddy.find_in(text, aho_corasick::Span::from(at..text.len())) {
        if each(m.start()) {
            return true;
        }
        at = m.start() + 1;
    }
    false
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
            &[],
            &[],
        );
        let mut found = vec![false; needles.len()];
        let search = kernel.search(record.as_bytes(), &Layout::Json, &mut found, &mut |_, _| false);
        assert_eq!(search, Search::Exhausted { escape_from: Some(0) });
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
            let kernel = Kernel::new(
                vec![Some(Form {
                    bytes: b"aa".to_vec(),
                    case_sensitive,
                    edges: (Edge::Free, Edge::Value),
                })],
                &[],
                &[],
            );
            // "aa" at 7 is followed by `a`, at 8 by the closing quote.
            let mut found = vec![false];
            let search = kernel.search(br#"{"a":"xaaa"}"#, &Layout::Json, &mut found, &mut |_, _| true);
            assert_eq!(search, Search::Enough { at: 8 });
            let mut starts = Vec::new();
            kernel.occurrences(br#"{"a":"xaaa"}"#, &Layout::Json, &mut starts);
            assert_eq!(starts, [8]);
        }
    }

    #[test]
    fn folding_pairs_bytes_but_places_needles_on_the_record() {
        assert_eq!(found(&[("A_b@", false)], "xa_B@y"), vec![true]);
        // `[` folds to `{`, which a value does not follow; the edge is read on the record as written.
        let kernel = Kernel::new(
            vec![Some(Form {
                bytes: b"TRUE".to_vec(),
                case_sensitive: false,
                edges: (Edge::Value, Edge::Value),
            })],
            &[],
            &[],
        );
        let mut found = vec![false];
        let search = kernel.search(br#"{"a":[True]}"#, &Layout::Json, &mut found, &mut |_, _| true);
        assert_eq!(search, Search::Enough { at: 6 });
    }

    fn insensitive(needles: &[&str]) -> Vec<Option<Form>> {
        needles
            .iter()
            .map(|n| {
                Some(Form {
                    bytes: n.as_bytes().to_vec(),
                    case_sensitive: false,
                    edges: (Edge::Free, Edge::Free),
                })
            })
            .collect()
    }

    fn search(kernel: &Kernel, record: &[u8]) -> (Search, Vec<bool>) {
        let mut found = vec![false; 16];
        let search = kernel.search(record, &Layout::Json, &mut found, &mut |_, _| false);
        (search, found)
    }

    #[test]
    fn escapes_that_may_hide_a_needle_are_searched_with_the_needles() {
        let kernel = Kernel::new(
            insensitive(&["torrent", "vuze", "azureus", ".tor"]),
            &[br"\u00"],
            &[],
        );
        assert!(kernel.raw.is_some() && kernel.folded.is_none());
        let exhausted = |escape_from| Search::Exhausted { escape_from };
        assert_eq!(
            search(&kernel, br#"{"u":"c:\\users\\x.TORRENT"}"#).0,
            exhausted(None)
        );
        assert!(search(&kernel, br#"{"u":"AzUrEuS"}"#).1[2]);
        assert_eq!(search(&kernel, br#"{"u":"\u0074orrent"}"#).0, exhausted(Some(6)));
        assert_eq!(search(&kernel, br#"{"\u0055":"x"}"#).0, exhausted(Some(2)));
        // An escaped backslash before `u00` is no escape, but a superset may say it is.
        assert_eq!(search(&kernel, br#"{"u":"\\u0074"}"#).0, exhausted(Some(7)));
        // Only `\u00..` escapes stand for ASCII characters.
        assert_eq!(search(&kernel, br#"{"u":"\u2603 \u0130"}"#).0, exhausted(None));
        // Without escapes to search, the caller must look for them itself.
        let plain = Kernel::new(insensitive(&["torrent"]), &[], &[]);
        assert_eq!(search(&plain, br#"{"u":"x"}"#).0, exhausted(Some(0)));
        // A needle found after an escape is enough from the escape on.
        let mut found = vec![false; 4];
        let enough = kernel.search(br#"{"\u0055":"vuze"}"#, &Layout::Json, &mut found, &mut |_, _| {
            true
        });
        assert_eq!(enough, Search::Enough { at: 2 });
        let mut found = vec![false; 4];
        let enough = kernel.search(
            br#"{"u":"vuze\u0055"}"#,
            &Layout::Json,
            &mut found,
            &mut |_, _| true,
        );
        assert_eq!(enough, Search::Enough { at: 6 });
    }

    #[test]
    fn case_variants_are_found_in_every_case_at_any_offset() {
        let kernel = Kernel::new(insensitive(&["tor", "k.i", "a1-"]), &[br"\u00"], &[]);
        assert!(kernel.folded.is_none());
        for record in ["xTOR", "tOr", "K.I", "xk.I", "A1-", "zzza1-"] {
            let (_, found) = search(&kernel, record.as_bytes());
            assert_eq!(found.iter().filter(|f| **f).count(), 1, "{record}");
        }
        // The variants are ASCII case only: `1` and `!` differ by the bit case flips.
        assert_eq!(search(&kernel, b"a!-").1, vec![false; 16]);
    }

    #[test]
    fn needles_are_searched_by_a_piece_the_frequent_words_do_not_hold() {
        let keys = ["DeviceId", "DeviceName", "IsAzureADJoined", "AdditionalInfo"];
        assert_eq!(rare_window(b"DeviceInfo", 3, &keys), 5, "eIn");
        assert_eq!(rare_window(b"azureus", 3, &keys), 3, "reu");
        assert_eq!(rare_window(b"torrent", 3, &keys), 0);
        // Every piece held: the one the fewest words hold.
        assert_eq!(rare_window(b"deviceid", 3, &["DeviceId", "DeviceName"]), 4);
        // A needle shorter than a piece is searched whole.
        assert_eq!(rare_window(b"ab", 3, &keys), 0);
        // The needle is found, and placed, at its own start wherever its piece lies.
        let kernel = Kernel::new(insensitive(&["DeviceInfo", "azureus"]), &[br"\u00"], &keys);
        let mut starts = Vec::new();
        kernel.occurrences(
            br#"{"c":"x-DEVICEinfo","d":"AZUREUS"}"#,
            &Layout::Json,
            &mut starts,
        );
        starts.sort_unstable();
        assert_eq!(starts, [8, 25]);
        let (_, found) = search(&kernel, br#"{"u":"deviceINFO"}"#);
        assert!(found[0] && !found[1]);
    }

    #[test]
    fn more_needles_than_buckets_are_searched_folded() {
        let needles = [
            "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
        ];
        let kernel = Kernel::new(insensitive(&needles), &[br"\u00"], &[]);
        assert!(kernel.raw.is_none() && kernel.folded.is_some());
        let (search, found) = search(&kernel, b"x INDIA y GoLf");
        assert_eq!(search, Search::Exhausted { escape_from: Some(0) });
        assert!(found[6] && found[8]);
        assert_eq!(found.iter().filter(|f| **f).count(), 2);
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
