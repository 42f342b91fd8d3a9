//! The search kernel: finds which of a few needles occur in a record's bytes.
//!
//! aho-corasick's automaton gives up its SIMD prefilter (packed Teddy) when it matches ASCII case
//! insensitively, and then touches every byte. Here a case-insensitive needle becomes the case variants
//! of its first [`PREFIX`] bytes (at most 8 patterns), searched with packed Teddy together with the
//! case-sensitive needles' exact bytes; each candidate is verified against the whole needle. Only when
//! there are too many patterns for Teddy (long `in` lists) does the automaton run, over the whole
//! needles.

use aho_corasick::packed::{self, Searcher};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};

/// Case-insensitive needles are searched by the case variants of this many leading bytes.
const PREFIX: usize = 3;
/// More patterns than this go to the automaton (Teddy slows down with many buckets).
const TEDDY_PATTERNS: usize = 64;

/// One needle as searched: its bytes in the record's encoding.
#[derive(Debug, Clone)]
pub(crate) struct Form {
    pub bytes: Vec<u8>,
    pub case_sensitive: bool,
}

impl Form {
    fn occurs_at(&self, record: &[u8], start: usize) -> bool {
        !self.bytes.is_empty()
            && record.get(start..start + self.bytes.len()).is_some_and(|window| {
                if self.case_sensitive {
                    window == self.bytes
                } else {
                    window.eq_ignore_ascii_case(&self.bytes)
                }
            })
    }
}

enum Engine {
    Teddy(Searcher),
    Automaton(AhoCorasick),
}

pub(crate) struct Kernel {
    forms: Vec<Form>,
    /// The needle each pattern stands for.
    pattern_needle: Vec<usize>,
    engine: Option<Engine>,
}

impl Kernel {
    /// A kernel over `forms`; forms marked `None` are not searched.
    pub fn new(forms: Vec<Option<Form>>) -> Kernel {
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut pattern_needle = Vec::new();
        for (needle, form) in forms.iter().enumerate() {
            let Some(form) = form else { continue };
            let variants = if form.case_sensitive {
                vec![form.bytes.clone()]
            } else {
                case_variants(&form.bytes[..form.bytes.len().min(PREFIX)])
            };
            pattern_needle.extend(std::iter::repeat_n(needle, variants.len()));
            patterns.extend(variants);
        }
        let forms_kept: Vec<Form> = forms
            .into_iter()
            .map(|f| {
                f.unwrap_or(Form {
                    bytes: Vec::new(),
                    case_sensitive: true,
                })
            })
            .collect();
        let engine = if patterns.is_empty() {
            None
        } else if let Some(teddy) = (patterns.len() <= TEDDY_PATTERNS)
            .then(|| {
                packed::Config::new()
                    .match_kind(packed::MatchKind::LeftmostFirst)
                    .builder()
                    .extend(&patterns)
                    .build()
            })
            .flatten()
        {
            Some(Engine::Teddy(teddy))
        } else {
            // The whole needles, one pattern each, matched ASCII case-insensitively when any needle is
            // (candidates are verified with each needle's own case rule).
            let needles: Vec<usize> = (0..forms_kept.len())
                .filter(|&i| !forms_kept[i].bytes.is_empty())
                .collect();
            let any_insensitive = needles.iter().any(|&i| !forms_kept[i].case_sensitive);
            let build = |kind| {
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .ascii_case_insensitive(any_insensitive)
                    .kind(kind)
                    .build(needles.iter().map(|&i| &forms_kept[i].bytes))
            };
            // A DFA scans fastest (a join's thousands of keys make a few MiB of it with byte classes);
            // beyond its size limit, the automaton aho-corasick picks itself.
            let automaton = build(Some(AhoCorasickKind::DFA))
                .or_else(|_| build(None))
                .expect("a few thousand short needles fit the automaton");
            pattern_needle = needles;
            Some(Engine::Automaton(automaton))
        };
        Kernel {
            forms: forms_kept,
            pattern_needle,
            engine,
        }
    }

    /// Marks in `found` the needles occurring in `record`, stopping as soon as `enough` (given the
    /// needle just found) says so; returns whether it did.
    pub fn search(
        &self,
        record: &[u8],
        found: &mut [bool],
        enough: &mut dyn FnMut(usize, &[bool]) -> bool,
    ) -> bool {
        let mut candidate = |needle: usize, start: usize, found: &mut [bool]| {
            if !found[needle] && self.forms[needle].occurs_at(record, start) {
                found[needle] = true;
                return enough(needle, found);
            }
            false
        };
        match &self.engine {
            None => false,
            Some(Engine::Teddy(teddy)) => {
                let mut at = 0;
                // Restarting one byte after each candidate keeps overlapping candidates.
                // Teddy reports one pattern per position: every needle is tried where a candidate starts.
                while let Some(m) = teddy.find_in(record, aho_corasick::Span::from(at..record.len())) {
                    for needle in 0..self.forms.len() {
                        if candidate(needle, m.start(), found) {
                            return true;
                        }
                    }
                    at = m.start() + 1;
                }
                false
            }
            Some(Engine::Automaton(automaton)) => {
                for m in automaton.find_overlapping_iter(Input::new(record)) {
                    if candidate(self.pattern_needle[m.pattern().as_usize()], m.start(), found) {
                        return true;
                    }
                }
                false
            }
        }
    }
}

/// Every ASCII case variant of `prefix` (letters in both cases, other bytes as they are).
fn case_variants(prefix: &[u8]) -> Vec<Vec<u8>> {
    let mut variants = vec![Vec::with_capacity(prefix.len())];
    for &b in prefix {
        let cases = if b.is_ascii_alphabetic() {
            vec![b.to_ascii_lowercase(), b.to_ascii_uppercase()]
        } else {
            vec![b]
        };
        variants = variants
            .into_iter()
            .flat_map(|v| {
                cases.iter().map(move |&c| {
                    let mut next = v.clone();
                    next.push(c);
                    next
                })
            })
            .collect();
    }
    variants
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
                    })
                })
                .collect(),
        );
        let mut found = vec![false; needles.len()];
        kernel.search(record.as_bytes(), &mut found, &mut |_, _| false);
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
    fn many_needles_use_the_automaton() {
        let needles: Vec<String> = (0..200).map(|i| format!("10.0.{i}.1")).collect();
        let mut list: Vec<(&str, bool)> = needles.iter().map(|n| (n.as_str(), true)).collect();
        list.push(("TOR", false));
        let hits = found(&list, "ip 10.0.7.1 via tor");
        assert!(hits[7] && hits[200]);
        assert_eq!(hits.iter().filter(|h| **h).count(), 2);
    }
}
