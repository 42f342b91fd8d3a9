//! An object's members located in raw JSON without parsing it (Mison, VLDB 2017: field positions
//! without tokenizing), so a reader can test one field of a record, such as its `Timestamp`, before
//! paying for a full parse.

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

/// Every member named `name` in the JSON text `text`, in any object at any depth: each value's raw text
/// is given to `each` until it returns `true`, and the result says whether it did. `None` when a member
/// of that name could go unseen or its value cannot be delimited: an escape in the text decodes to a
/// character of `name` (a name could be spelled with it), or a value's end is not found. A string that
/// merely holds `"name":` inside is not mistaken for a member: its quotes are escaped.
pub fn members_named(text: &[u8], name: &str, mut each: impl FnMut(&[u8]) -> bool) -> Option<bool> {
    // Only `\uXXXX` can spell a letter, digit or `_`; other characters have short escapes too.
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    for hit in memchr::memmem::find_iter(text, b"\\u") {
        // An escape only if the backslash run ending at `hit` is odd (`\\users` is not one).
        let run = text[..=hit].iter().rev().take_while(|&&b| b == b'\\').count();
        if run % 2 == 1
            && let (Some(c), _) = decode_escape(&text[hit..])
            && c.is_ascii()
            && name.as_bytes().contains(&(c as u8))
        {
            return None;
        }
    }
    let quoted = format!("\"{name}\"");
    for hit in memchr::memmem::find_iter(text, quoted.as_bytes()) {
        let colon = skip_space(text, hit + quoted.len());
        if text.get(colon) != Some(&b':') {
            continue;
        }
        let start = skip_space(text, colon + 1);
        let end = value_end(text, start)?;
        if each(&text[start..end]) {
            return Some(true);
        }
    }
    Some(false)
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
        let message = r#"{"records":[{"properties":{"RemoteIP":"1.2.3.4","F":"C:\\users\\x"}},{"properties":{"RemoteIP" : "5.6.7.8","N":"say \"RemoteIP\":9"}}]}"#;
        let mut seen = Vec::new();
        let all = members_named(message.as_bytes(), "RemoteIP", |v| {
            seen.push(std::str::from_utf8(v).expect("UTF-8").to_string());
            false
        });
        assert_eq!(all, Some(false));
        assert_eq!(seen, [r#""1.2.3.4""#, r#""5.6.7.8""#]);
        assert_eq!(
            members_named(message.as_bytes(), "RemoteIP", |v| v == br#""5.6.7.8""#),
            Some(true)
        );
        // An escape that could spell the name leaves doubt; one that cannot does not.
        assert_eq!(
            members_named(br#"{"Remote\u0049P":"1"}"#, "RemoteIP", |_| false),
            None
        );
        assert_eq!(
            members_named(br#"{"RemoteIP":"\u00e9"}"#, "RemoteIP", |_| false),
            Some(false)
        );
        assert_eq!(members_named(br#"{"RemoteIP":"1"#, "RemoteIP", |_| false), None);
    }

    #[test]
    fn only_strings_without_escapes_are_plain() {
        assert_eq!(plain_string(br#""2024-01-01""#), Some("2024-01-01"));
        assert_eq!(plain_string(br#""2024\u002d01""#), None);
        assert_eq!(plain_string(b"null"), None);
        assert_eq!(plain_string(b"\""), None);
    }
}
