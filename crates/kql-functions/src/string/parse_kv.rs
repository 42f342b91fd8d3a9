//! The extraction step of the `parse-kv` operator: the value of one key in a text, in one of the
//! page's three modes. The binder calls it once per listed key, with the mode as a JSON spec
//! ([`spec`] writes it), and converts the text to the key's type.
//!
//! What the page states, and this follows: "the first appearance of a key is extracted", "leading and
//! trailing white spaces are ignored" (of keys and values, quoted or not), a quote pair wraps "key name
//! or the extracted value", an escape character escapes a character "in a quoted value", `greedy`
//! scans "until the next key appearance (or end of string)", and without delimiters "any
//! nonalphanumeric character is considered a delimiter". Where it is silent, the choices are:
//! a quote opens only at the start of a key or value (elsewhere it is an ordinary character), text
//! after a closing quote up to the next delimiter is dropped, a quote left open runs to the end of the
//! text, a key or value splits at its first key/value delimiter, and in the mode without delimiters a
//! key's value is the word (or quoted text) right after the key's first appearance.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;
use regex::Regex;
use serde_json::Value;

use super::kernel::{Param, Params, Prepared, define, string_rows};
use super::regex::compile;
use crate::registry::InternalFunction;

/// `kql_parse_kv(source: Utf8, spec: Utf8 (JSON), key: Utf8) -> Utf8`: the key's value, `""` when the
/// key does not appear. The binder writes the spec: `{"regex": pattern}`, or
/// `{"pair": ",", "kv": "=", "greedy": false, "quoting": Q}` (specified delimiters), or `{"quoting": Q}`
/// (no delimiters), where `Q` is `{"quotes": ["\"", "()"], "escapes": ["\\"]}` (a quote is its
/// opening then its closing character, or one character for both).
pub fn parse_kv() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::fixed(&[Param::Str, Param::Str, Param::Str]);
        define("kql_parse_kv", params, DataType::Utf8, |args| {
            let (source, spec, key) = (args.str(0)?, args.str(1)?, args.str(2)?);
            let mut mode = Prepared::new();
            string_rows(args, |row, out| {
                let mode = mode.get(spec.get(row), |text| Mode::from_spec(args.name(), text))?;
                if let Some(value) = mode.value(source.get(row), key.get(row)) {
                    out.push_str(&value);
                }
                Ok(())
            })
        })
    })
}

pub(crate) static PARSE_KV: InternalFunction = InternalFunction::scalar("parse_kv", parse_kv);

/// How the text is split into keys and values: the spec read back, with its regex compiled.
enum Mode {
    Delimited {
        pair: char,
        kv: char,
        greedy: bool,
        quoting: Quoting,
    },
    /// No delimiters given: words of alphanumeric characters, or quoted texts.
    Words(Quoting),
    /// A pattern with two capture groups, the key and the value.
    Regex(Regex),
}

/// The `quote` pairs (opening, closing) and the `escape` characters.
struct Quoting {
    quotes: Vec<(char, char)>,
    escapes: Vec<char>,
}

impl Mode {
    fn from_spec(function: &str, text: &str) -> Result<Mode> {
        let malformed = || exec_err!("{function}: malformed mode {text:?}");
        let Ok(spec) = serde_json::from_str::<Value>(text) else {
            return malformed();
        };
        if let Some(pattern) = spec["regex"].as_str() {
            return Ok(Mode::Regex(compile(function, pattern)?));
        }
        let char_of = |value: &Value| value.as_str().and_then(|s| s.chars().next());
        let chars = |value: &Value| -> Vec<Vec<char>> {
            value
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|s| s.chars().collect())
                        .collect()
                })
                .unwrap_or_default()
        };
        let quoting = Quoting {
            quotes: chars(&spec["quoting"]["quotes"])
                .iter()
                .filter_map(|q| Some((*q.first()?, *q.last()?)))
                .collect(),
            escapes: chars(&spec["quoting"]["escapes"])
                .iter()
                .filter_map(|e| e.first().copied())
                .collect(),
        };
        match (char_of(&spec["pair"]), char_of(&spec["kv"])) {
            (Some(pair), Some(kv)) => Ok(Mode::Delimited {
                pair,
                kv,
                greedy: spec["greedy"].as_bool().unwrap_or(false),
                quoting,
            }),
            (None, None) => Ok(Mode::Words(quoting)),
            _ => malformed(),
        }
    }

    /// The value of the first appearance of `key` in `text`, trimmed.
    fn value(&self, text: &str, key: &str) -> Option<String> {
        match self {
            Mode::Delimited {
                pair,
                kv,
                greedy,
                quoting,
            } => delimited_value(text, *pair, *kv, *greedy, quoting, key),
            Mode::Words(quoting) => {
                let words = words(text, quoting);
                let at = words.iter().position(|word| word.trim() == key)?;
                Some(words.get(at + 1).map_or("", |word| word.trim()).to_string())
            }
            Mode::Regex(regex) => regex.captures_iter(text).find_map(|captures| {
                let found = captures.get(1).map_or("", |m| m.as_str());
                (found.trim() == key).then(|| captures.get(2).map_or("", |m| m.as_str()).trim().to_string())
            }),
        }
    }
}

/// One piece of the text between pair delimiters: its key, its value when it has a key/value
/// delimiter, and its raw text (which `greedy` appends to the value before it when it has no value).
struct Segment<'a> {
    key: String,
    value: Option<String>,
    raw: &'a str,
}

fn delimited_value(
    text: &str,
    pair: char,
    kv: char,
    greedy: bool,
    quoting: &Quoting,
    key: &str,
) -> Option<String> {
    let mut found: Option<String> = None;
    for segment in segments(text, pair, kv, quoting) {
        match found.as_mut() {
            // A piece without a key/value delimiter continues the found value in greedy mode.
            Some(value) if greedy && segment.value.is_none() => {
                value.push(pair);
                value.push_str(segment.raw);
            }
            Some(_) => break,
            None if segment.key.trim() == key => found = segment.value,
            None => {}
        }
    }
    found.map(|value| value.trim().to_string())
}

/// Splits the text at pair delimiters outside quotes.
fn segments<'a>(text: &'a str, pair: char, kv: char, quoting: &Quoting) -> Vec<Segment<'a>> {
    let mut segments = Vec::new();
    let mut chars = text.char_indices();
    let mut start = 0;
    let (mut key, mut value): (String, Option<String>) = (String::new(), None);
    // Set after a quoted key or value: the rest of it, up to a delimiter, is dropped.
    let mut closed = false;
    while let Some((at, c)) = chars.next() {
        if c == pair {
            segments.push(Segment {
                key: std::mem::take(&mut key),
                value: value.take(),
                raw: &text[start..at],
            });
            start = at + c.len_utf8();
            closed = false;
            continue;
        }
        if c == kv && value.is_none() {
            value = Some(String::new());
            closed = false;
            continue;
        }
        if closed {
            continue;
        }
        let field = value.as_mut().unwrap_or(&mut key);
        match quoting.closing(c).filter(|_| field.trim().is_empty()) {
            Some(close) => {
                field.clear();
                let mut chars_in_quote = chars.by_ref().map(|(_, c)| c);
                field.push_str(&quoting.quoted(&mut chars_in_quote, close));
                closed = true;
            }
            None => field.push(c),
        }
    }
    segments.push(Segment {
        key,
        value,
        raw: &text[start..],
    });
    segments
}

/// The words of the text: runs of alphanumeric characters, and quoted texts.
fn words(text: &str, quoting: &Quoting) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        if let Some(close) = quoting.closing(c) {
            words.push(quoting.quoted(&mut chars, close));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

impl Quoting {
    /// The closing quote of an opening quote character.
    fn closing(&self, c: char) -> Option<char> {
        self.quotes
            .iter()
            .find(|(open, _)| *open == c)
            .map(|(_, close)| *close)
    }

    /// The quoted text after an opening quote, up to `close` (or the end), with escapes resolved.
    fn quoted(&self, chars: &mut impl Iterator<Item = char>, close: char) -> String {
        let mut out = String::new();
        while let Some(c) = chars.next() {
            if c == close {
                break;
            }
            if self.escapes.contains(&c) {
                // An escape as the last character stays as it is.
                out.push(chars.next().unwrap_or(c));
                continue;
            }
            out.push(c);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn value(spec: &Value, text: &str, key: &str) -> Option<String> {
        Mode::from_spec("kql_parse_kv", &spec.to_string())
            .unwrap()
            .value(text, key)
    }

    fn delimited(pair: &str, kv: &str, greedy: bool, quotes: &[&str], escapes: &[&str]) -> Value {
        json!({"pair": pair, "kv": kv, "greedy": greedy, "quoting": {"quotes": quotes, "escapes": escapes}})
    }

    #[test]
    fn delimited_values_are_trimmed_and_first_wins() {
        let mode = delimited(",", ":", false, &[], &[]);
        let text = "ThreadId:458745723, Machine:Node001, Text: The service is up, Text: again";
        assert_eq!(value(&mode, text, "Text").as_deref(), Some("The service is up"));
        assert_eq!(value(&mode, text, "Machine").as_deref(), Some("Node001"));
        assert_eq!(value(&mode, text, "Level"), None);
    }

    #[test]
    fn quotes_wrap_keys_and_values_with_escapes() {
        let mode = delimited(" ", "=", false, &["\""], &["\\"]);
        let text = r#"a=1 failure="the host sent \"bye!\"" "event time"=10:00"#;
        assert_eq!(
            value(&mode, text, "failure").as_deref(),
            Some(r#"the host sent "bye!""#)
        );
        assert_eq!(value(&mode, text, "event time").as_deref(), Some("10:00"));
        let parens = delimited(" ", "=", false, &["()"], &[]);
        assert_eq!(value(&parens, "x=(a b) y=2", "x").as_deref(), Some("a b"));
        // A quote left open runs to the end of the text.
        assert_eq!(value(&mode, r#"x="a b"#, "x").as_deref(), Some("a b"));
    }

    #[test]
    fn greedy_values_run_to_the_next_key() {
        let text = "name=John Doe phone=555 5555 city=New York";
        let lazy = delimited(" ", "=", false, &[], &[]);
        let greedy = delimited(" ", "=", true, &[], &[]);
        assert_eq!(value(&lazy, text, "name").as_deref(), Some("John"));
        assert_eq!(value(&greedy, text, "name").as_deref(), Some("John Doe"));
        assert_eq!(value(&greedy, text, "city").as_deref(), Some("New York"));
    }

    #[test]
    fn words_without_delimiters() {
        let mode = json!({"quoting": {"quotes": ["'"], "escapes": ["\\"]}});
        let text = r"2021-01-01T10:00:34 [INFO] ThreadId:458745723, Text: 'The service \' is up'";
        assert_eq!(value(&mode, text, "ThreadId").as_deref(), Some("458745723"));
        assert_eq!(value(&mode, text, "Text").as_deref(), Some("The service ' is up"));
        assert_eq!(value(&mode, "a b Text", "Text").as_deref(), Some(""));
    }

    #[test]
    fn regex_groups_are_key_and_value() {
        let mode = json!({"regex": r#""([\w ]+)\s*:\s*([^"]*)""#});
        let text = r#"["referer url: https://h/?a=1", "request url: https://h/", "request url: x"]"#;
        assert_eq!(value(&mode, text, "request url").as_deref(), Some("https://h/"));
        assert_eq!(value(&mode, text, "other"), None);
    }
}
