//! `kql_dynamic_to_list(d [, bag_expansion])`: a dynamic value as an Arrow list for `mv-expand` (via
//! DataFusion's unnest): an array gives its elements, a bag one single-key bag `{"key": value}` per
//! property (as `mv-expand` does), or one `["key", value]` array per property when `bag_expansion` is
//! `'array'` (`mv-expand kind=array`), any other value a one-element list, null an empty list.
//! Elements are dynamic JSON text, JSON null elements being Arrow nulls.

use std::sync::Arc;

use datafusion::arrow::array::{ListBuilder, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::logical_expr::ScalarUDF;
use serde_json::{Map, Value};

use super::json;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define};

/// `kql_dynamic_to_list(d: Utf8 (dynamic) [, bag_expansion: Utf8 ('bag' or 'array')]) -> List<Utf8 (dynamic)>`.
pub fn dynamic_to_list() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let list = DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)));
        define(
            "kql_dynamic_to_list",
            Params::optional(&[Param::Str], &[Param::Str]),
            list,
            |args| {
                let dynamic = args.str(0)?;
                let modes = args.has(1).then(|| args.str(1)).transpose()?;
                let mut out = ListBuilder::new(StringBuilder::new());
                for row in 0..args.rows() {
                    let element = |v: &Value| (!v.is_null()).then(|| json::to_text(v));
                    match dynamic.get_opt(row).map(json::parse) {
                        None => {}
                        Some(Value::Array(items)) => {
                            for item in &items {
                                out.values().append_option(element(item));
                            }
                        }
                        Some(Value::Object(bag)) => {
                            let as_arrays = modes
                                .as_ref()
                                .and_then(|m| m.get_opt(row))
                                .is_some_and(|m| m.eq_ignore_ascii_case("array"));
                            for (key, value) in bag {
                                let property = if as_arrays {
                                    Value::Array(vec![Value::String(key), value])
                                } else {
                                    Value::Object(Map::from_iter([(key, value)]))
                                };
                                out.values().append_value(property.to_string());
                            }
                        }
                        Some(other) => out.values().append_option(element(&other)),
                    }
                    out.append(true);
                }
                args.finish(Arc::new(out.finish()))
            },
        )
    })
}

pub(crate) static DYNAMIC_TO_LIST: InternalFunction =
    InternalFunction::scalar("dynamic_to_list", dynamic_to_list);

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::AsArray;
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    fn elements(value: ScalarValue) -> Vec<Option<String>> {
        let ScalarValue::List(list) = value else {
            panic!("{value:?}")
        };
        let values = list.value(0);
        values
            .as_string::<i32>()
            .iter()
            .map(|v| v.map(str::to_string))
            .collect()
    }

    #[test]
    fn arrays_and_bags_expand_like_mv_expand() {
        let list = call_scalars(&dynamic_to_list(), vec![s(r#"[1,"a",null,{"b":2}]"#)]);
        let expected = [Some("1"), Some("\"a\""), None, Some(r#"{"b":2}"#)].map(|v| v.map(str::to_string));
        assert_eq!(elements(list), expected);
        // mv-expand docs: a bag {"prop1":"a1","prop2":"b1"} expands to {"prop1":"a1"} and {"prop2":"b1"}.
        let bag = call_scalars(&dynamic_to_list(), vec![s(r#"{"prop1":"a1","prop2":"b1"}"#)]);
        let expected = [Some(r#"{"prop1":"a1"}"#), Some(r#"{"prop2":"b1"}"#)].map(|v| v.map(str::to_string));
        assert_eq!(elements(bag), expected);
        assert!(elements(call_scalars(&dynamic_to_list(), vec![ScalarValue::Utf8(None)])).is_empty());
        // mv-expand docs, kind=array: {"prop1":"a1","prop2":"b1"} expands to ["prop1","a1"], ["prop2","b1"].
        let pairs = call_scalars(
            &dynamic_to_list(),
            vec![s(r#"{"prop1":"a1","prop2":"b1"}"#), s("array")],
        );
        let expected = [Some(r#"["prop1","a1"]"#), Some(r#"["prop2","b1"]"#)].map(|v| v.map(str::to_string));
        assert_eq!(elements(pairs), expected);
    }
}
