//! `extract_json(jsonPath, dataSource)` (also `extractjson`): the element of a JSON text that a
//! JSONPath selects, as a string: a JSON string gives its content, any other value its JSON text
//! (`extract_json("$.name", '{"name": "John", "age": 30}')` is `John`). A path that selects nothing,
//! or a source that is not JSON, gives "". With a third argument `typeof(T)` the binder converts the
//! string to `T` (as it does for `extract`), so nothing found is null there.
//!
//! A path outside Kusto's JSONPath subset (wildcards, recursion, slices, ...) stops the query with an
//! error naming it.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::exec_err;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::json::to_kusto_string;
use super::json_path;
use crate::declare::*;
use crate::string::kernel::{Param, Params, Prepared, define, string_rows};

/// `kql_extract_json(path: Utf8, source: Utf8) -> Utf8`.
pub fn extract_json() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_extract_json",
            Params::fixed(&[Param::Str, Param::Str]),
            DataType::Utf8,
            |args| {
                let paths = args.str(0)?;
                let sources = args.str(1)?;
                let mut steps = Prepared::new();
                string_rows(args, |row, out| {
                    let steps = steps.get(paths.get(row), |path| match json_path::parse(path) {
                        Ok(steps) => Ok(steps),
                        Err(reason) => exec_err!("extract_json: {reason}"),
                    })?;
                    if let Ok(document) = serde_json::from_str::<Value>(sources.get(row))
                        && let Some(found) = json_path::select(&document, steps)
                    {
                        out.push_str(&to_kusto_string(found));
                    }
                    Ok(())
                })
            },
        )
    )
}

pub(crate) static EXTRACT_JSON: KustoFunction = KustoFunction::scalar(
    Signature::scalar("extract_json", &[P::Str, P::Str], R::Fixed(T::String)).aliases(&["extractjson"]),
    extract_json,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call, call_scalars, s, text};

    fn extract(path: &str, source: &str) -> String {
        text(call_scalars(&extract_json(), vec![s(path), s(source)]))
    }

    #[test]
    fn docs_example_and_edges() {
        // extract-json-function: extract_json("$.name", json) is "John".
        let json = r#"{"name": "John", "age": 30, "city": "New York"}"#;
        assert_eq!(extract("$.name", json), "John");
        assert_eq!(extract("$.age", json), "30");
        assert_eq!(extract("$['city']", json), "New York");
        // Objects and arrays come back as their JSON text.
        let nested = r#"{"hosts": [{"AvailableMB": 5}, {"AvailableMB": 7}], "tags": ["a"]}"#;
        assert_eq!(extract("$.hosts[1].AvailableMB", nested), "7");
        assert_eq!(extract("$['hosts'][1]['AvailableMB']", nested), "7");
        assert_eq!(extract("$.hosts[0]", nested), r#"{"AvailableMB":5}"#);
        assert_eq!(extract("$.tags", nested), r#"["a"]"#);
        // Nothing found, JSON null and a source that is not JSON give "".
        assert_eq!(extract("$.missing", json), "");
        assert_eq!(extract("$.a", r#"{"a": null}"#), "");
        assert_eq!(extract("$.name", "not json"), "");
        assert_eq!(extract("$.name", ""), "");
    }

    #[test]
    fn an_unsupported_path_is_an_error_naming_it() {
        let error = call(
            &extract_json(),
            vec![
                datafusion::logical_expr::ColumnarValue::Scalar(s("$..name")),
                datafusion::logical_expr::ColumnarValue::Scalar(s("{}")),
            ],
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("$..name") && error.contains("not supported"),
            "{error}"
        );
    }
}
