//! Finding the JSON escapes of a record that may hide a needle, without decoding the others.
//!
//! Defender's records are full of Windows paths, so of escapes `\\`; a record where no needle was found
//! must still be checked for escapes that could complete one (see `encoding`), and decoding every
//! escape in turn was a fifth of a selective Event Hub hunt. An escape's second byte tells what it can
//! decode to: `\\` only ever to a backslash, `\n` to a line feed; only `\u` can be anything. So when no
//! needle holds a backslash, only the escapes whose second byte may stand for a needle's character are
//! searched for (one SIMD search over the two-byte patterns; usually `\u` alone), and each hit is
//! checked to be an escape at all (`\\n` is an escaped backslash and a plain `n`: the backslashes before
//! it count).
//!
//! A short escape hides only the character it stands for: re-serializing a nested object (see
//! `encoding`) writes `\n`, `\t`, `\"`, `\\` back exactly as they were, so the raw text already holds
//! what the re-serialized text does. Only `\u` (any character, re-serialized perhaps as a short escape)
//! and `\/` (re-serialized as `/`) read differently there.

use aho_corasick::packed::{self, Searcher};
use memchr::memmem::Finder;

use crate::encoding::{AsciiSet, decode_escape};

/// The bytes that may follow a backslash in a JSON escape.
const ESCAPE_LETTERS: &[u8] = b"\"\\/bfnrtu";

pub(crate) enum EscapeFinder {
    /// Every escape is decoded in turn (a backslash is a needle's character, or SIMD search is
    /// unavailable).
    Every,
    /// Only escapes starting with one of these two-byte patterns can hide a needle.
    Only(Box<Patterns>),
}

/// The two-byte escape patterns searched.
pub(crate) enum Patterns {
    /// One pattern (usually `\u`): memchr's search of a byte pair.
    One(Finder<'static>),
    Several(Searcher),
}

impl EscapeFinder {
    /// The finder of escapes that may hide a character of `needle_chars` (the needles' own
    /// characters, both cases where they are case-insensitive): `\u` always, a short escape when it
    /// stands for one of them.
    pub fn new(needle_chars: AsciiSet) -> EscapeFinder {
        let may_hide = |letter: u8| match decode_escape(&[b'\\', letter]).0 {
            _ if letter == b'u' => true,
            Some(c) => c.is_ascii() && needle_chars.contains(c as u8),
            None => false,
        };
        if may_hide(b'\\') {
            return EscapeFinder::Every;
        }
        let patterns: Vec<[u8; 2]> = ESCAPE_LETTERS
            .iter()
            .filter(|&&letter| may_hide(letter))
            .map(|&letter| [b'\\', letter])
            .collect();
        if let [pattern] = patterns[..] {
            return EscapeFinder::Only(Box::new(Patterns::One(Finder::new(&pattern).into_owned())));
        }
        packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(patterns)
            .build()
            .map_or(EscapeFinder::Every, |searcher| {
                EscapeFinder::Only(Box::new(Patterns::Several(searcher)))
            })
    }

    /// The bytes every escape that may hide a needle starts with, when only `\u` escapes can and the
    /// kernel can search for them with the needles: those of an ASCII character (`\u00`), and of the
    /// two characters that lower-case to ASCII letters when a needle holds `i` (U+0130) or `k`
    /// (U+212A), the only ones `mark_hidden` acts on. Empty when short escapes need searching too.
    pub fn u_escape_starts(&self, dotted_i: bool, kelvin: bool) -> Vec<&'static [u8]> {
        match self {
            EscapeFinder::Only(patterns) if matches!(patterns.as_ref(), Patterns::One(_)) => {
                let mut starts: Vec<&'static [u8]> = vec![br"\u00"];
                starts.extend(dotted_i.then_some(&br"\u0130"[..]));
                starts.extend(kelvin.then_some(&br"\u212"[..]));
                starts
            }
            _ => Vec::new(),
        }
    }

    /// Calls `each` with where each escape of `record` that may hide a needle's character starts and
    /// what it decodes to (`None` for an invalid one; with [`EscapeFinder::Every`], every escape), in
    /// order, until it returns `true`; returns that escape's start.
    pub fn find(&self, record: &[u8], mut each: impl FnMut(usize, Option<char>) -> bool) -> Option<usize> {
        match self {
            EscapeFinder::Every => {
                let mut at = 0;
                while let Some(offset) = memchr::memchr(b'\\', &record[at..]) {
                    let start = at + offset;
                    let (decoded, length) = decode_escape(&record[start..]);
                    at = start + length;
                    if each(start, decoded) {
                        return Some(start);
                    }
                }
                None
            }
            EscapeFinder::Only(patterns) => {
                let mut hit = |start: usize| {
                    // Escapes pair backslashes from a run's start: an odd number before this one makes
                    // it the second of a `\\`, and its letter plain text.
                    let before = record[..start].iter().rev().take_while(|&&b| b == b'\\').count();
                    before % 2 == 0 && each(start, decode_escape(&record[start..]).0)
                };
                match patterns.as_ref() {
                    Patterns::One(finder) => finder.find_iter(record).find(|&start| hit(start)),
                    Patterns::Several(searcher) => searcher
                        .find_iter(record)
                        .map(|m| m.start())
                        .find(|&start| hit(start)),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What every escape of `record` decodes to, by decoding each in turn.
    fn every_escape(record: &[u8]) -> Vec<Option<char>> {
        let mut decoded = Vec::new();
        EscapeFinder::Every.find(record, |_, c| {
            decoded.push(c);
            false
        });
        decoded
    }

    proptest::proptest! {
        /// The escapes found are those of every escape decoding to a hazard (or `\u` anything),
        /// whatever the backslash runs around them.
        #[test]
        fn only_escapes_that_may_hide_a_hazard_are_skipped(
            record in proptest::collection::vec(proptest::sample::select(&b"\\\\\\nrtu0041a/\"x"[..]), 0..40),
            hazards in proptest::sample::subsequence(&b"nrtaA\"/\n\r\t"[..], 0..5),
        ) {
            let mut set = AsciiSet::default();
            hazards.iter().for_each(|&b| set.insert(b));
            let finder = EscapeFinder::new(set);
            let mut found = Vec::new();
            finder.find(&record, |_, c| {
                found.push(c);
                false
            });
            let hides = |c: &Option<char>| c.is_some_and(|c| !c.is_ascii() || set.contains(c as u8));
            let expected: Vec<Option<char>> = every_escape(&record).into_iter().filter(hides).collect();
            let found: Vec<Option<char>> = found.into_iter().filter(hides).collect();
            proptest::prop_assert_eq!(found, expected, "{}", String::from_utf8_lossy(&record));
        }
    }

    #[test]
    fn a_doubled_backslash_is_no_escape_of_its_next_letter() {
        let finder = EscapeFinder::new(AsciiSet::of(b"\n", true));
        assert!(matches!(finder, EscapeFinder::Only(_)));
        let mut found = Vec::new();
        let record = br#"C:\\new\\\nx\u000A"#;
        finder.find(record, |at, c| {
            found.push((at, c));
            false
        });
        assert_eq!(found, [(9, Some('\n')), (12, Some('\n'))]);
        assert_eq!(finder.find(record, |_, _| true), Some(9));
    }

    #[test]
    fn a_backslash_hazard_decodes_every_escape() {
        assert!(matches!(
            EscapeFinder::new(AsciiSet::of(b"\\", true)),
            EscapeFinder::Every
        ));
    }
}
