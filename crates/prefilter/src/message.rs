//! The records of an Event Hub message, located without parsing them, so each can be tested alone.

use std::ops::Range;

/// The byte ranges of the records of an Event Hub message `{"records": [{...}, ...]}`, or `None` when
/// the line has any other shape (other keys, an escaped key, broken brackets): the caller then treats
/// the line as one record. Only brackets and strings are followed; each record's own syntax is left to
/// the parser of the records that are read.
pub fn event_hub_records(line: &[u8]) -> Option<Vec<Range<usize>>> {
    let mut at = skip_space(line, 0);
    for token in [&b"{"[..], b"\"records\"", b":", b"["] {
        at = skip_space(line, expect(line, at, token)?);
    }
    let mut records = Vec::new();
    if line.get(at) == Some(&b']') {
        at += 1;
    } else {
        loop {
            if line.get(at) != Some(&b'{') {
                return None;
            }
            let end = container_end(line, at)?;
            records.push(at..end);
            at = skip_space(line, end);
            match line.get(at) {
                Some(b',') => at = skip_space(line, at + 1),
                Some(b']') => {
                    at += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    at = skip_space(line, expect(line, skip_space(line, at), b"}")?);
    (at == line.len()).then_some(records)
}

fn expect(line: &[u8], at: usize, token: &[u8]) -> Option<usize> {
    line.get(at..)?.starts_with(token).then_some(at + token.len())
}

pub(crate) fn skip_space(line: &[u8], mut at: usize) -> usize {
    while line
        .get(at)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    {
        at += 1;
    }
    at
}

/// The end (one past the closing bracket) of the object or array opening at `start`.
fn container_end(line: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = start;
    loop {
        let offset = memchr::memchr3(b'"', b'{', b'}', &line[at..]).map(|o| at + o);
        // Arrays nest inside records too; brackets are rarer than braces, so they are counted on the
        // stretch before the next brace or quote.
        let next = offset?;
        for &b in &line[at..next] {
            match b {
                b'[' => depth += 1,
                b']' => depth = depth.checked_sub(1)?,
                _ => {}
            }
        }
        match line[next] {
            b'"' => at = string_end(line, next + 1)?,
            b'{' => {
                depth += 1;
                at = next + 1;
            }
            _ => {
                depth = depth.checked_sub(1)?;
                at = next + 1;
                if depth == 0 {
                    return Some(at);
                }
            }
        }
    }
}

/// One past the closing quote of the string whose text starts at `at`.
pub(crate) fn string_end(line: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let next = at + memchr::memchr2(b'"', b'\\', &line[at..])?;
        if line[next] == b'"' {
            return Some(next + 1);
        }
        at = next + 2;
        if at > line.len() {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> Option<Vec<&str>> {
        event_hub_records(line.as_bytes()).map(|r| r.into_iter().map(|r| &line[r]).collect())
    }

    #[test]
    fn records_are_found_whole() {
        let line = r#"{"records":[{"a":"}{\"]","b":[{"c":1}]} , {"d":"\\"}]}"#;
        assert_eq!(
            split(line).unwrap(),
            vec![r#"{"a":"}{\"]","b":[{"c":1}]}"#, r#"{"d":"\\"}"#]
        );
        assert_eq!(split(r#" { "records" : [ ] } "#).unwrap(), Vec::<&str>::new());
    }

    #[test]
    fn other_shapes_are_refused() {
        for line in [
            r#"{"records":[{"a":1}],"other":1}"#,
            r#"{"rec\u006frds":[{"a":1}]}"#,
            r#"{"records":[{"a":1}"#,
            r#"{"records":[{"a":"1}]}"#,
            r#"{"records":[1]}"#,
            r#"{"records":[{"a":[1}]}"#,
            r#"[{"records":[]}]"#,
        ] {
            assert_eq!(split(line), None, "{line}");
        }
    }
}
