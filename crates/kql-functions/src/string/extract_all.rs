//! `extract_all(regex, source)` and `extract_all(regex, groups, source)` -> dynamic array of every
//! match: with one (selected) capture group an array of strings, with several an array of arrays,
//! null when nothing matches (`extract_all(@"(\d+)", "a1b22")` is `["1","22"]`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;
use regex::Regex;
use serde_json::Value;

use super::kernel::{Param, Params, Prepared, define, optional_string_rows};
use super::regex::compile;
use crate::declare::*;
use crate::dynamic::json;

/// `kql_extract_all(regex: Utf8, source: Utf8) -> Utf8 (dynamic)`;
/// `kql_extract_all(regex: Utf8, groups: Utf8 (dynamic array of group numbers), source: Utf8)`.
pub fn extract_all() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::optional(&[Param::Str, Param::Str], &[Param::Str]);
        define("kql_extract_all", params, DataType::Utf8, |args| {
            let pattern = args.str(0)?;
            let (groups, source) = if args.has(2) {
                (Some(args.str(1)?), args.str(2)?)
            } else {
                (None, args.str(1)?)
            };
            let (mut regex, mut selected) = (Prepared::new(), Prepared::new());
            optional_string_rows(args, |row| {
                let regex = regex.get(pattern.get(row), |p| compile(args.name(), p))?;
                let groups = match &groups {
                    Some(groups) => {
                        let wanted = selected.get(groups.get(row), |g| group_list(args.name(), g))?;
                        resolve(args.name(), regex, wanted)?
                    }
                    None if regex.captures_len() == 1 => vec![0],
                    None => (1..regex.captures_len()).collect(),
                };
                Ok(matches(regex, &groups, source.get(row)).map(|v| v.to_string()))
            })
        })
    })
}

/// The middle argument is optional (`extract_all(regex, [captureGroups,] source)`): with two arguments
/// the second is the source, so it is taken as is (a string or the dynamic array of groups).
pub(crate) static EXTRACT_ALL: KustoFunction = KustoFunction::scalar(
    Signature::scalar("extract_all", &[P::Str, P::Any, P::Str], R::Fixed(T::Dynamic))
        .optional_from(2)
        .aliases(&["extractall"]),
    extract_all,
);

/// A capture group as the `captureGroups` array names it: "from 1 to the number of capturing groups
/// in the regular expression. Named capture groups are allowed as well."
#[derive(Debug, Clone)]
enum Group {
    Number(usize),
    Name(String),
}

fn group_list(function: &str, text: &str) -> Result<Vec<Group>> {
    match json::parse(text) {
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(name) => Ok(Group::Name(name.clone())),
                _ => match item.as_u64() {
                    Some(group) => Ok(Group::Number(group as usize)),
                    None => exec_err!("{function}: capture group {item} is not a group number or name"),
                },
            })
            .collect(),
        other => exec_err!("{function}: capture groups must be a dynamic array, not {other}"),
    }
}

/// The group numbers of `wanted` in `regex`; a number or name the regex does not have is an error
/// (the page allows only its groups).
fn resolve(function: &str, regex: &Regex, wanted: &[Group]) -> Result<Vec<usize>> {
    wanted
        .iter()
        .map(|group| {
            let number = match group {
                Group::Number(number) => Some(*number),
                Group::Name(name) => regex.capture_names().position(|n| n == Some(name.as_str())),
            };
            match number {
                Some(number) if (1..regex.captures_len()).contains(&number) => Ok(number),
                _ => exec_err!("{function}: the regular expression has no capture group {group:?}"),
            }
        })
        .collect()
}

fn matches(regex: &Regex, groups: &[usize], source: &str) -> Option<Value> {
    let found: Vec<Value> = regex
        .captures_iter(source)
        .map(|captures| {
            let mut texts = groups
                .iter()
                .map(|&g| Value::from(captures.get(g).map_or("", |m| m.as_str())))
                .collect::<Vec<_>>();
            if texts.len() == 1 {
                texts.remove(0)
            } else {
                Value::Array(texts)
            }
        })
        .collect();
    (!found.is_empty()).then_some(Value::Array(found))
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // extract_all(@"(\d+)", "a1b22c333") == ["1","22","333"] style; several groups give arrays:
        // extract_all(@"(\w)(\w+)(\w)", "The price of bread") == [["T","h","e"],["p","ric","e"],...]
        let f = extract_all();
        assert_eq!(
            call_scalars(&f, vec![s(r"(\d+)"), s("a1b22c333")]),
            s(r#"["1","22","333"]"#)
        );
        let expected = r#"[["T","h","e"],["p","ric","e"],["b","rea","d"]]"#;
        assert_eq!(
            call_scalars(&f, vec![s(r"(\w)(\w+)(\w)"), s("The price of bread")]),
            s(expected)
        );
        // extract_all(@"(\w)(\w+)(\w)", dynamic([1,3]), ...) == [["T","e"],["p","e"],...]
        let args = vec![s(r"(\w)(\w+)(\w)"), s("[1,3]"), s("The price")];
        assert_eq!(call_scalars(&f, args), s(r#"[["T","e"],["p","e"]]"#));
        // Named groups select as numbers do.
        let args = vec![
            s(r"(?P<first>\w)(?P<middle>\w+)(?P<last>\w)"),
            s(r#"["last",1]"#),
            s("The price"),
        ];
        assert_eq!(call_scalars(&f, args), s(r#"[["e","T"],["e","p"]]"#));
        assert_eq!(
            call_scalars(&f, vec![s(r"(\d+)"), s("none")]),
            ScalarValue::Utf8(None)
        );
    }
}
