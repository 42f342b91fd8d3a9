//! An object's members located in raw JSON without parsing it (Mison, VLDB 2017: field positions
//! without tokenizing), so a reader can test one field of a record, such as its `Timestamp`, before
//! paying for a full parse.

use aho_corasick::packed::{self, Searcher};
use aho_corasick::{AhoCorasick, MatchKind};

use crate::encoding::decode_escape;
use crate::message::{skip_space, string_end};

/// The raw text of the values of `keys` among the members of the JSON object `object` (its top level
/// only; `None` for a key it lacks), or `None` when they cannot be told for sure: a member name holding
/// an escape (it could spell a wanted key), a wanted key given twice (a parser would keep the later
/// one), or text that is not one object as far as brackets, strings and commas go. A value's text is
/// as written: a string with its quotes and escapes, an object with its brackets.
///
/// Only the structure is followed: a value that is not valid JSON inside (a bad number, a control
/// character in a string) is returned as it stands, for the parser to refuse.
pub fn object_members<'a, const N: usize>(
    object: &'a [u8],
    keys: [&str; N],
) -> Option<[Option<&'a [u8]>; N]> {
    let mut found = [None; N];
    let mut at = skip_space(object, 0);
    if object.get(at) != Some(&b'{') {
        return None;
    }
    at = skip_space(object, at + 1);
    if object.get(at) == Some(&b'}') {
        return (skip_space(object, at + 1) == object.len()).then_some(found);
    }
    loop {
        if object.get(at) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(object, at + 1)?;
        let key = &object[at + 1..key_end - 1];
        if key.contains(&b'\\') {
            return None;
        }
        at = skip_space(object, key_end);
        if object.get(at) != Some(&b':') {
            return None;
        }
        let value_start = skip_space(object, at + 1);
        let value_end = value_end(object, value_start)?;
        if let Some(wanted) = keys.iter().position(|k| k.as_bytes() == key) {
            if found[wanted].is_some() {
                return None;
            }
            found[wanted] = Some(&object[value_start..value_end]);
        }
        at = skip_space(object, value_end);
        match object.get(at) {
            Some(b',') => at = skip_space(object, at + 1),
            Some(b'}') => break,
            _ => return None,
        }
    }
    (skip_space(object, at + 1) == object.len()).then_some(found)
}

/// The members of a few names (letters, digits and `_`) in JSON text, in any object at any depth,
/// found in one pass: a packed SIMD search for the quoted names and for `\u`, the one escape that can
/// spell a name's character.
///
/// [`each`](Self::each) gives each member's raw value to a callback until it returns `true`, and the
/// result says whether it did; `None` when a member of those names could go unseen or its value cannot
/// be delimited: an escape decodes to a character of a name (a name could be spelled with it), or a
/// value's end is not found. A string that merely holds `"name":` inside is not mistaken for a member:
/// its quotes are escaped, so a quoted name is never inside a string.
pub struct MembersNamed {
    names: Vec<String>,
    /// The quoted names, then `\u` (pattern `names.len()`).
    searcher: NameSearch,
}

/// A packed SIMD search where the CPU has one: aho-corasick's own choice for quoted names, an automaton
/// whose prefilter looks for the opening quote, stops at every string of a JSON text.
enum NameSearch {
    Teddy(Searcher),
    Automaton(AhoCorasick),
}

impl MembersNamed {
    /// The finder of members named one of `names`; `None` when a name holds anything but letters,
    /// digits and `_` (short escapes could spell it too).
    pub fn new(names: &[&str]) -> Option<MembersNamed> {
        let plain =
            |name: &&str| !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !names.iter().all(plain) {
            return None;
        }
        let mut patterns: Vec<String> = names.iter().map(|name| format!("\"{name}\"")).collect();
        patterns.push("\\u".to_string());
        let teddy = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(&patterns)
            .build();
        let searcher = match teddy {
            Some(teddy) => NameSearch::Teddy(teddy),
            None => NameSearch::Automaton(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(&patterns)
                    .expect("a few short names"),
            ),
        };
        Some(MembersNamed {
            names: names.iter().map(|name| name.to_string()).collect(),
            searcher,
        })
    }

    /// Gives each member's name (its index in the names) and raw value to `each` until it returns
    /// `true` (see the type's documentation).
    pub fn each(&self, text: &[u8], mut each: impl FnMut(usize, &[u8]) -> bool) -> Option<bool> {
        let hits: Box<dyn Iterator<Item = (usize, usize, usize)>> = match &self.searcher {
            NameSearch::Teddy(teddy) => Box::new(
                teddy
                    .find_iter(text)
                    .map(|m| (m.pattern().as_usize(), m.start(), m.end())),
            ),
            NameSearch::Automaton(automaton) => Box::new(
                automaton
                    .find_iter(text)
                    .map(|m| (m.pattern().as_usize(), m.start(), m.end())),
            ),
        };
        for (pattern, start, end) in hits {
            if pattern == self.names.len() {
                if self.spells_a_name(text, start) {
                    return None;
                }
            } else if let Some(value) = member_value(text, end)
                && each(pattern, value?)
            {
                return Some(true);
            }
        }
        Some(false)
    }

    /// Whether the `\u` at `at` is an escape decoding to a character of a name: only if the backslash
    /// run ending there is odd (`\\users` is no escape).
    fn spells_a_name(&self, text: &[u8], at: usize) -> bool {
        let run = text[..=at].iter().rev().take_while(|&&b| b == b'\\').count();
        run % 2 == 1
            && matches!(decode_escape(&text[at..]), (Some(c), _)
                if c.is_ascii() && self.names.iter().any(|name| name.as_bytes().contains(&(c as u8))))
    }
}

impl std::fmt::Debug for MembersNamed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MembersNamed({:?})", self.names)
    }
}

/// The value of a member whose quoted name ends at `after`, when a colon follows (`None`: the quoted
/// text is no member name); `Some(None)` when the value's end is not found.
fn member_value(text: &[u8], after: usize) -> Option<Option<&[u8]>> {
    let colon = skip_space(text, after);
    if text.get(colon) != Some(&b':') {
        return None;
    }
    let start = skip_space(text, colon + 1);
    Some(value_end(text, start).map(|end| &text[start..end]))
}

/// The text of a JSON string value without its quotes, when it holds no escape (so it is the value
/// itself); `None` for any other value.
pub fn plain_string(value: &[u8]) -> Option<&str> {
    let inner = value.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    if inner.contains(&b'\\') || inner.contains(&b'"') {
        return None;
    }
    std::str::from_utf8(inner).ok()
}

/// One past the end of the value starting at `start`: a string, an object or array (brackets matched,
/// strings skipped), or a scalar running to the next `,`, `}`, `]` or space.
fn value_end(text: &[u8], start: usize) -> Option<usize> {
    match text.get(start)? {
        b'"' => string_end(text, start + 1),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut at = start;
            loop {
                match text.get(at)? {
                    b'"' => {
                        at = string_end(text, at + 1)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(at + 1);
                        }
                    }
                    _ => {}
                }
                at += 1;
            }
        }
        _ => {
            let length = text[start..]
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n'))
                .unwrap_or(text.len() - start);
            (length > 0).then_some(start + length)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members<'a, const N: usize>(object: &'a str, keys: [&str; N]) -> Option<[Option<&'a str>; N]> {
        object_members(object.as_bytes(), keys)
            .map(|found| found.map(|v| v.map(|v| std::str::from_utf8(v).expect("UTF-8"))))
    }

    #[test]
    fn top_level_members_are_found() {
        let record = r#" { "a" : {"Timestamp":"x","b":[1,{"c":"}"}]} , "Timestamp":"2024-01-01T00:00:00Z","n": -1.5e3 } "#;
        assert_eq!(
            members(record, ["Timestamp", "n", "a", "missing"]),
            Some([
                Some(r#""2024-01-01T00:00:00Z""#),
                Some("-1.5e3"),
                Some(r#"{"Timestamp":"x","b":[1,{"c":"}"}]}"#),
                None
            ])
        );
        assert_eq!(members("{}", ["a"]), Some([None]));
    }

    #[test]
    fn doubt_gives_none() {
        for record in [
            r#"{"Time\u0073tamp":"x","Timestamp":"y"}"#,
            r#"{"Timestamp":"x","Timestamp":"y"}"#,
            r#"{"Timestamp":"x""#,
            r#"{"Timestamp":"x"}{"#,
            r#"{"Timestamp" "x"}"#,
            r#"{"a":[1,2}"#,
            r#"["Timestamp"]"#,
            r#"{"Timestamp":}"#,
        ] {
            assert_eq!(members(record, ["Timestamp"]), None, "{record}");
        }
    }

    #[test]
    fn members_are_found_at_any_depth() {
        let remote_ip = MembersNamed::new(&["RemoteIP"]).expect("a plain name");
        assert!(MembersNamed::new(&["Remote IP"]).is_none());
        let named = |text: &[u8], each: &mut dyn FnMut(&[u8]) -> bool| remote_ip.each(text, |_, v| each(v));
        let message = r#"{"records":[{"properties":{"RemoteIP":"1.2.3.4","F":"C:\\users\\x"}},{"properties":{"RemoteIP" : "5.6.7.8","N":"say \"RemoteIP\":9"}}]}"#;
        let mut seen = Vec::new();
        let all = named(message.as_bytes(), &mut |v| {
            seen.push(std::str::from_utf8(v).expect("UTF-8").to_string());
            false
        });
        assert_eq!(all, Some(false));
        assert_eq!(seen, [r#""1.2.3.4""#, r#""5.6.7.8""#]);
        assert_eq!(
            named(message.as_bytes(), &mut |v| v == br#""5.6.7.8""#),
            Some(true)
        );
        // An escape that could spell the name leaves doubt; one that cannot does not.
        assert_eq!(named(br#"{"Remote\u0049P":"1"}"#, &mut |_| false), None);
        assert_eq!(named(br#"{"RemoteIP":"\u00e9"}"#, &mut |_| false), Some(false));
        assert_eq!(named(br#"{"RemoteIP":"\\u0049"}"#, &mut |_| false), Some(false));
        assert_eq!(named(br#"{"RemoteIP":"1"#, &mut |_| false), None);
    }

    #[test]
    fn several_names_are_found_in_one_pass() {
        let finder = MembersNamed::new(&["Timestamp", "TimeGenerated", "time"]).expect("plain names");
        let message = r#"{"records":[{"time":"a","properties":{"Timestamp" :"b","N":"\"time\":c","TimeGenerated":"d"}}]}"#;
        let mut seen = Vec::new();
        let all = finder.each(message.as_bytes(), |name, value| {
            seen.push((name, std::str::from_utf8(value).expect("UTF-8").to_string()));
            false
        });
        assert_eq!(all, Some(false));
        assert_eq!(
            seen,
            [
                (2, r#""a""#.to_string()),
                (0, r#""b""#.to_string()),
                (1, r#""d""#.to_string())
            ]
        );
        assert_eq!(finder.each(message.as_bytes(), |name, _| name == 1), Some(true));
        // An escape spelling a letter of any name leaves doubt, unless a member answered before it.
        let escaped = br#"{"Timestamp":"b","ti\u006De":"a"}"#;
        assert_eq!(finder.each(escaped, |_, _| false), None);
        assert_eq!(finder.each(escaped, |_, _| true), Some(true));
        assert_eq!(
            finder.each(br#"{"x":"\u00e9","time":"1"}"#, |_, _| false),
            Some(false)
        );
    }

    #[test]
    fn only_strings_without_escapes_are_plain() {
        assert_eq!(plain_string(br#""2024-01-01""#), Some("2024-01-01"));
        assert_eq!(plain_string(br#""2024\u002d01""#), None);
        assert_eq!(plain_string(b"null"), None);
        assert_eq!(plain_string(b"\""), None);
    }
}
