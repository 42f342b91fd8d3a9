//! `bag_keys(d)`: the keys of a property bag as a dynamic array; null for anything else
//! (`bag_keys(dynamic({"a":"b", "c":123}))` is `["a","c"]`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::json;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_bag_keys(d: Utf8 (dynamic)) -> Utf8 (dynamic)`.
pub fn bag_keys() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_bag_keys",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let dynamic = args.str(0)?;
                optional_string_rows(args, |row| {
                    Ok(match dynamic.get_opt(row).map(json::parse) {
                        Some(Value::Object(bag)) => {
                            Some(Value::from(bag.keys().cloned().collect::<Vec<_>>()).to_string())
                        }
                        _ => None,
                    })
                })
            },
        )
    )
}

pub(crate) static BAG_KEYS: KustoFunction = KustoFunction::scalar(
    Signature::scalar("bag_keys", &[P::Dynamic], R::Fixed(T::Dynamic)),
    bag_keys,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // bag_keys(dynamic({"a":"b", "c":123})) == ["a","c"]
        assert_eq!(
            call_scalars(&bag_keys(), vec![s(r#"{"a":"b", "c":123}"#)]),
            s(r#"["a","c"]"#)
        );
        assert_eq!(call_scalars(&bag_keys(), vec![s("[1]")]), ScalarValue::Utf8(None));
    }
}
