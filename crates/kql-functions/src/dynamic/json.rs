//! Kusto `dynamic` values as torhunt stores them: compact JSON text in `Utf8`, Arrow null being
//! Kusto's `null`.

use serde_json::Value;

/// Parses dynamic text. Text that is not JSON (it should not occur: torhunt writes dynamic columns as
/// JSON) is read as a string value rather than lost.
pub(crate) fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

/// Compact JSON text of a value.
pub(crate) fn to_text(value: &Value) -> String {
    value.to_string()
}

/// A dynamic value converted to a Kusto string: a JSON string gives its content, null gives "",
/// anything else its JSON text (`tostring(dynamic({"a":1}))` is `{"a":1}`).
pub(crate) fn to_kusto_string(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => to_text(other),
    }
}

/// A dynamic used as a list of strings (the right-hand side of `has_any`, `in~`, ...): an array gives
/// its non-null elements as strings, null gives nothing, any other value gives itself.
pub(crate) fn list_strings(text: &str, out: &mut Vec<String>) {
    match parse(text) {
        Value::Array(items) => {
            out.extend(items.iter().filter(|v| !v.is_null()).map(to_kusto_string));
        }
        Value::Null => {}
        other => out.push(to_kusto_string(&other)),
    }
}

/// The elements of every argument `first..` of a row when all are arrays; `None` otherwise (the
/// array functions give null then).
pub(crate) fn arrays_at(
    columns: &[crate::string::kernel::StrColumn<'_>],
    row: usize,
) -> Option<Vec<Vec<Value>>> {
    columns
        .iter()
        .map(|column| match column.get_opt(row).map(parse) {
            Some(Value::Array(items)) => Some(items),
            _ => None,
        })
        .collect()
}
