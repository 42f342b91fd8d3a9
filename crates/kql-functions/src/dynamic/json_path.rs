//! Kusto's subset of JSONPath (the `jsonpath` docs page): `$` the root, `.name` and `['name']` /
//! `["name"]` a property, `[n]` the n-th element of an array (0-based). Wildcards, recursion, unions,
//! slices and the current object are not supported: a path using them is an error naming it, never a
//! guess.

use serde_json::Value;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Property(String),
    Index(usize),
}

/// Parses a path; the error says what is wrong with it.
pub(crate) fn parse(path: &str) -> Result<Vec<Step>, String> {
    let unsupported = |what: &str| Err(format!("JSONPath `{path}`: {what} are not supported"));
    let rest = path
        .trim()
        .strip_prefix('$')
        .ok_or_else(|| format!("JSONPath `{path}` does not start with `$`"))?;
    let mut chars = rest.chars().peekable();
    let mut steps = Vec::new();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if chars.peek() == Some(&'.') {
                    return unsupported("recursive descents (`..`)");
                }
                let mut name = String::new();
                while let Some(&c) = chars.peek() {
                    if c == '.' || c == '[' {
                        break;
                    }
                    name.push(c);
                    chars.next();
                }
                if name == "*" {
                    return unsupported("wildcards");
                }
                if name.is_empty() {
                    return Err(format!("JSONPath `{path}`: a `.` without a property name"));
                }
                steps.push(Step::Property(name));
            }
            '[' => {
                let mut inside = String::new();
                let mut quote = None;
                let mut quoted = false;
                let mut closed = false;
                for c in chars.by_ref() {
                    match (quote, c) {
                        (None, ']') => {
                            closed = true;
                            break;
                        }
                        (None, '\'' | '"') if inside.is_empty() && !quoted => {
                            quote = Some(c);
                            quoted = true;
                        }
                        (Some(q), c) if c == q => quote = None,
                        _ => inside.push(c),
                    }
                }
                if !closed {
                    return Err(format!("JSONPath `{path}`: a `[` without its `]`"));
                }
                steps.push(if quoted {
                    Step::Property(inside)
                } else {
                    subscript(path, &inside)?
                });
            }
            '@' => return unsupported("current objects (`@`)"),
            _ => return Err(format!("JSONPath `{path}`: unexpected `{c}`")),
        }
    }
    Ok(steps)
}

/// The step of an unquoted `[...]`: an index.
fn subscript(path: &str, inside: &str) -> Result<Step, String> {
    let trimmed = inside.trim();
    if trimmed == "*" {
        return Err(format!("JSONPath `{path}`: wildcards are not supported"));
    }
    if trimmed.contains(':') || trimmed.contains(',') || trimmed.starts_with('?') || trimmed.starts_with('(')
    {
        return Err(format!(
            "JSONPath `{path}`: slices, unions and filters are not supported"
        ));
    }
    trimmed
        .parse::<usize>()
        .map(Step::Index)
        .map_err(|_| format!("JSONPath `{path}`: `[{inside}]` is neither an index nor a quoted name"))
}

/// The value a path selects, if any.
pub(crate) fn select<'v>(value: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    steps
        .iter()
        .try_fold(value, |current, step| match (step, current) {
            (Step::Property(name), Value::Object(bag)) => bag.get(name),
            (Step::Index(index), Value::Array(items)) => items.get(*index),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn docs_paths_select_their_fields() {
        // The jsonpath docs page's document and paths.
        let document = json!({
            "Source": "Server-01",
            "Log Level": "INFO",
            "Details": {
                "Response Code": 200,
                "User": {"User ID": "user123", "Username": "kiana_anderson"}
            }
        });
        let at = |path: &str| select(&document, &parse(path).unwrap()).cloned();
        assert_eq!(at("$.Source"), Some(json!("Server-01")));
        assert_eq!(at("$['Log Level']"), Some(json!("INFO")));
        assert_eq!(at("$.Details['Response Code']"), Some(json!(200)));
        assert_eq!(at("$.Details.User[\"User ID\"]"), Some(json!("user123")));
        assert_eq!(at("$.Details.User.Username"), Some(json!("kiana_anderson")));
        assert_eq!(at("$"), Some(document.clone()));
        assert_eq!(at("$.Missing"), None);
        assert_eq!(at("$.Source.Inner"), None);
        let list = json!({"hosts": [{"MB": 1}, {"MB": 2}]});
        assert_eq!(select(&list, &parse("$.hosts[1].MB").unwrap()), Some(&json!(2)));
        assert_eq!(
            select(&list, &parse("$['hosts'][0]['MB']").unwrap()),
            Some(&json!(1))
        );
        assert_eq!(select(&list, &parse("$.hosts[2]").unwrap()), None);
        // A quoted number is a property name, not an index.
        assert_eq!(
            select(&json!({"0": "zero"}), &parse("$['0']").unwrap()),
            Some(&json!("zero"))
        );
    }

    #[test]
    fn what_kusto_does_not_support_is_an_error() {
        for path in [
            "$..a",
            "$.a[*]",
            "$.*",
            "$.a[0:2]",
            "$.a[0,1]",
            "$[?(@.a)]",
            "a.b",
            "$.a[0",
            "$.",
            "$[name]",
        ] {
            assert!(parse(path).is_err(), "{path}");
        }
    }
}
