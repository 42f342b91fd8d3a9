//! `bag_zip(keys, values)`: a property bag pairing each string key with the value at the same index;
//! non-string keys are skipped, missing values are null, extra values are ignored, and a `values` that
//! is not an array gives null for every key; a key given twice is refused (which value Kusto keeps is
//! not documented). Null when `keys` is not an array
//! (`bag_zip(dynamic(['a','b']), dynamic([1,'2',2.5]))` is `{"a":1,"b":"2"}`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::exec_err;
use datafusion::logical_expr::ScalarUDF;
use serde_json::{Map, Value};

use super::json::parse;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_bag_zip(keys: Utf8 (dynamic), values: Utf8 (dynamic)) -> Utf8 (dynamic)`.
pub fn bag_zip() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::fixed(&[Param::Str, Param::Str]);
        define("kql_bag_zip", params, DataType::Utf8, |args| {
            let (keys, values) = (args.str(0)?, args.str(1)?);
            optional_string_rows(args, |row| {
                let Some(Value::Array(keys)) = keys.get_opt(row).map(parse) else {
                    return Ok(None);
                };
                let values = match values.get_opt(row).map(parse) {
                    Some(Value::Array(values)) => values,
                    _ => Vec::new(),
                };
                let mut bag = Map::new();
                for (index, key) in keys.into_iter().enumerate() {
                    let Value::String(key) = key else { continue };
                    if bag.contains_key(&key) {
                        return exec_err!(
                            "not supported yet: bag_zip with the key \"{key}\" twice: which of its values \
                             Kusto keeps is not documented"
                        );
                    }
                    bag.insert(key, values.get(index).cloned().unwrap_or(Value::Null));
                }
                Ok(Some(Value::Object(bag).to_string()))
            })
        })
    })
}

pub(crate) static BAG_ZIP: KustoFunction = KustoFunction::scalar(
    Signature::scalar("bag_zip", &[P::Dynamic, P::Dynamic], R::Fixed(T::Dynamic)),
    bag_zip,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // Emulator cases bag-zip-00..05.
        let zip = |keys: &str, values: &str| call_scalars(&bag_zip(), vec![s(keys), s(values)]);
        assert_eq!(
            zip(r#"["a","b","c"]"#, r#"[1,"2",3.4]"#),
            s(r#"{"a":1,"b":"2","c":3.4}"#)
        );
        assert_eq!(
            zip(r#"["a","b","c"]"#, r#"[1,"2"]"#),
            s(r#"{"a":1,"b":"2","c":null}"#)
        );
        assert_eq!(zip(r#"["a","b"]"#, r#"[1,"2",2.5]"#), s(r#"{"a":1,"b":"2"}"#));
        assert_eq!(zip(r#"["a",8,"b"]"#, r#"[1,"2",2.5]"#), s(r#"{"a":1,"b":2.5}"#));
        assert_eq!(zip(r#"["a",8,"b"]"#, "1"), s(r#"{"a":null,"b":null}"#));
        assert_eq!(zip(r#""a""#, r#"[1,"2",2.5]"#), ScalarValue::Utf8(None));
    }
}
