//! The exact predicate, computed independently of the prefilter: on the values a reader produces.

use serde_json::Value;
use torhunt_prefilter::{Condition, Edge, Needle};

/// A string column's text for a JSON value, as the readers produce it: strings decoded, `null` empty,
/// anything else re-serialized compactly (numbers as serde_json formats them).
pub fn column_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Whether `needle` occurs in `value` where its edges say, on the text the operators compare: the
/// value as it is, or both lower-cased (Unicode, per character). A term edge is where the character
/// beside is not alphanumeric (Unicode) or there is none; a value edge is the value's start or end.
pub fn occurs(value: &str, needle: &Needle) -> bool {
    let lower = |s: &str| s.chars().flat_map(char::to_lowercase).collect::<String>();
    let (value, text) = if needle.case_sensitive() {
        (value.to_string(), needle.text().to_string())
    } else {
        (lower(value), lower(needle.text()))
    };
    let term_edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    // Every occurrence, overlapping ones too.
    let starts = (0..value.len()).filter(|&at| value.is_char_boundary(at) && value[at..].starts_with(&text));
    starts.into_iter().any(|at| {
        let end = at + text.len();
        let start_ok = match needle.start() {
            Edge::Free => true,
            Edge::Term => term_edge(value[..at].chars().next_back()),
            Edge::Value => at == 0,
        };
        let end_ok = match needle.end() {
            Edge::Free => true,
            Edge::Term => term_edge(value[end..].chars().next()),
            Edge::Value => end == value.len(),
        };
        start_ok && end_ok
    })
}

/// Whether the condition holds when each needle is tested against every value.
pub fn holds(condition: &Condition, values: &[String]) -> bool {
    condition.holds(&|needle| values.iter().any(|v| occurs(v, needle)))
}

/// The values of a JSON record (an object, or an Event Hub message's records), as column texts.
pub fn json_values(record: &Value) -> Vec<String> {
    let mut values = Vec::new();
    if let Value::Object(map) = record {
        for value in map.values() {
            values.push(column_text(value));
            // Nested records (Event Hub `records`, Streaming API `properties`) hold columns too.
            match value {
                Value::Object(_) => values.extend(json_values(value)),
                Value::Array(items) => items.iter().for_each(|i| values.extend(json_values(i))),
                _ => {}
            }
        }
    }
    values
}
