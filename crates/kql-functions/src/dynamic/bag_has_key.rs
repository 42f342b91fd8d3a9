//! `bag_has_key(bag, key)`: whether a property bag holds `key`, given as a plain key or a JSON path
//! of `.name` steps (`bag_has_key(dynamic({'a':{'b':1}}), '$.a.b')` is true). A value that is not a
//! bag has no keys.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::json::parse;
use crate::declare::*;
use crate::string::kernel::{Param, Params, bool_rows, define};

/// `kql_bag_has_key(bag: Utf8 (dynamic), key: Utf8) -> Boolean`.
pub fn bag_has_key() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::fixed(&[Param::Str, Param::Str]);
        define("kql_bag_has_key", params, DataType::Boolean, |args| {
            let (bags, keys) = (args.str(0)?, args.str(1)?);
            bool_rows(args, |row| {
                let path = key_path(keys.get(row))?;
                let mut value = bags.get_opt(row).map_or(Value::Null, parse);
                for step in path {
                    match value {
                        Value::Object(mut bag) => match bag.remove(step) {
                            Some(inner) => value = inner,
                            None => return Ok(Some(false)),
                        },
                        _ => return Ok(Some(false)),
                    }
                }
                Ok(Some(true))
            })
        })
    })
}

pub(crate) static BAG_HAS_KEY: KustoFunction = KustoFunction::scalar(
    Signature::scalar("bag_has_key", &[P::Dynamic, P::Str], R::Fixed(T::Bool)),
    bag_has_key,
);

/// The keys to follow: a plain key is one step; a `$.a.b` path is one step per name. Bracket steps
/// (`$['a']`, `$[0]`) are refused rather than misread.
fn key_path(key: &str) -> Result<Vec<&str>> {
    let Some(path) = key.strip_prefix('$') else {
        return Ok(vec![key]);
    };
    if path.contains('[') {
        return exec_err!("not supported yet: bracket steps in the bag_has_key path `{key}`");
    }
    match path.strip_prefix('.') {
        Some(steps) if steps.split('.').all(|step| !step.is_empty()) => Ok(steps.split('.').collect()),
        _ => exec_err!("bag_has_key: `{key}` is not a valid JSON path"),
    }
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call, call_scalars, s};

    const T: ScalarValue = ScalarValue::Boolean(Some(true));
    const F: ScalarValue = ScalarValue::Boolean(Some(false));

    #[test]
    fn docs_examples() {
        // Emulator cases bag-has-key-function-00/01.
        let has = |bag: &str, key: &str| call_scalars(&bag_has_key(), vec![s(bag), s(key)]);
        assert_eq!(has(r#"{"key1":123,"key2":"abc"}"#, "key2"), T);
        assert_eq!(has(r#"{"key1":123,"key3":"abc"}"#, "key2"), F);
        let nested = r#"{"key1":123,"key2":{"prop1":"abc","prop2":"xyz"},"key3":[100,200]}"#;
        assert_eq!(has(nested, "$.key2.prop1"), T);
        assert_eq!(has(nested, "$.key2.prop3"), F);
        assert_eq!(has("[1,2]", "key2"), F);
    }

    #[test]
    fn bracket_paths_are_refused() {
        let args = vec![s(r#"{"a":1}"#), s("$['a']")];
        let columnar = args
            .into_iter()
            .map(datafusion::logical_expr::ColumnarValue::Scalar)
            .collect();
        assert!(call(&bag_has_key(), columnar).is_err());
    }
}
