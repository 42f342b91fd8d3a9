//! `bag_remove_keys(bag, keys)`: the bag without the listed keys. A key is a property name or a JSON
//! path (`$.a.b`) to a nested property; keys that are absent are ignored, and a value that is not a
//! bag gives null (`bag_remove_keys(dynamic({"key1":123,"key2":"abc"}), dynamic(["key1"]))` is
//! `{"key2":"abc"}`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use serde_json::{Map, Value};

use super::json;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_bag_remove_keys(bag: Utf8 (dynamic), keys: Utf8 (dynamic array)) -> Utf8 (dynamic)`.
pub fn bag_remove_keys() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_bag_remove_keys",
            Params::fixed(&[Param::Str, Param::Str]),
            DataType::Utf8,
            |args| {
                let bags = args.str(0)?;
                let keys = args.str(1)?;
                optional_string_rows(args, |row| {
                    let Some(Value::Object(mut bag)) = bags.get_opt(row).map(json::parse) else {
                        return Ok(None);
                    };
                    let mut names = Vec::new();
                    if let Some(text) = keys.get_opt(row) {
                        json::list_strings(text, &mut names);
                    }
                    for name in &names {
                        remove_path(&mut bag, &path_steps(name));
                    }
                    Ok(Some(json::to_text(&Value::Object(bag))))
                })
            },
        )
    )
}

pub(crate) static BAG_REMOVE_KEYS: KustoFunction = KustoFunction::scalar(
    Signature::scalar("bag_remove_keys", &[P::Dynamic, P::Dynamic], R::Fixed(T::Dynamic)),
    bag_remove_keys,
);

/// The property names along a key: `$.a.b` is `a`, `b`; a plain name is itself.
fn path_steps(key: &str) -> Vec<&str> {
    match key.strip_prefix("$.") {
        Some(path) => path.split('.').collect(),
        None => vec![key],
    }
}

fn remove_path(bag: &mut Map<String, Value>, steps: &[&str]) {
    match steps {
        [] => {}
        [last] => {
            bag.shift_remove(*last);
        }
        [first, rest @ ..] => {
            if let Some(Value::Object(inner)) = bag.get_mut(*first) {
                remove_path(inner, rest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        let udf = bag_remove_keys();
        // bag_remove_keys docs: removing key1 and key3 (absent) from {"key1":123,"key2":"abc"}.
        assert_eq!(
            call_scalars(
                &udf,
                vec![s(r#"{"key1":123,"key2":"abc"}"#), s(r#"["key1","key3"]"#)]
            ),
            s(r#"{"key2":"abc"}"#)
        );
        // A JSON path removes a nested property: {"A":{"B":1,"C":2}} without $.A.B.
        assert_eq!(
            call_scalars(&udf, vec![s(r#"{"A":{"B":1,"C":2},"D":3}"#), s(r#"["$.A.B"]"#)]),
            s(r#"{"A":{"C":2},"D":3}"#)
        );
        assert_eq!(
            call_scalars(&udf, vec![s("[1]"), s(r#"["a"]"#)]),
            ScalarValue::Utf8(None)
        );
    }
}
