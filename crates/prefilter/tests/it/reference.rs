//! The exact predicate, computed independently of the prefilter: on the values a reader produces.

use serde_json::Value;
use torhunt_prefilter::Condition;

/// A string column's text for a JSON value, as the readers produce it: strings decoded, `null` empty,
/// anything else re-serialized compactly (numbers as serde_json formats them).
pub fn column_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Kusto's case-insensitive containment: Unicode lower-casing of both sides, character by character.
pub fn contains(value: &str, needle: &str, case_sensitive: bool) -> bool {
    if case_sensitive {
        value.contains(needle)
    } else {
        let lower = |s: &str| s.chars().flat_map(char::to_lowercase).collect::<String>();
        lower(value).contains(&lower(needle))
    }
}

/// Whether the condition holds when each needle is tested against every value.
pub fn holds(condition: &Condition, values: &[String]) -> bool {
    condition.holds(&|needle| {
        values
            .iter()
            .any(|v| contains(v, needle.text(), needle.case_sensitive()))
    })
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
