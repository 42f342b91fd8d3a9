//! `kql_dynamic_get(d, key_or_index)`: member access `d.a`, `d['a']`, `d[0]`; a negative index
//! counts from the end (`d[-1]` is the last element). Absent members, a key on an array or an
//! index on a bag give null.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, Int64Array, StringArray};
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::exec_err;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::json;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_dynamic_get(d: Utf8 (dynamic), key: Utf8 | index: Int64) -> Utf8 (dynamic)`.
pub fn dynamic_get() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_dynamic_get",
            Params::fixed(&[Param::Str, Param::Any]),
            DataType::Utf8,
            |args| {
                let dynamic = args.str(0)?;
                let selector = args.any(1)?;
                let selector = match selector.data_type() {
                    DataType::Int64 => Selector::Index(selector.as_primitive::<Int64Type>().clone()),
                    DataType::Utf8 => Selector::Key(selector.as_string::<i32>().clone()),
                    DataType::Null => Selector::Nothing,
                    other => {
                        return exec_err!(
                            "{}: a member is selected by string or long, not {other}",
                            args.name()
                        );
                    }
                };
                optional_string_rows(args, |row| {
                    let Some(value) = dynamic.get_opt(row).map(json::parse) else {
                        return Ok(None);
                    };
                    let member = match (&value, &selector) {
                        (Value::Object(bag), Selector::Key(keys)) if keys.is_valid(row) => {
                            bag.get(keys.value(row))
                        }
                        (Value::Array(items), Selector::Index(indexes)) if indexes.is_valid(row) => {
                            let index = indexes.value(row);
                            let index = if index < 0 {
                                items.len() as i64 + index
                            } else {
                                index
                            };
                            usize::try_from(index).ok().and_then(|i| items.get(i))
                        }
                        _ => None,
                    };
                    Ok(member.filter(|m| !m.is_null()).map(json::to_text))
                })
            },
        )
    )
}

pub(crate) static DYNAMIC_GET: InternalFunction = InternalFunction::scalar("dynamic_get", dynamic_get);

enum Selector {
    Key(StringArray),
    Index(Int64Array),
    Nothing,
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn member_access() {
        // datatable-operator docs example: MoreData.key2 of {"key1":"value3","key2":"value4"} is "value4".
        let bag = s(r#"{"key1":"value3","key2":"value4"}"#);
        assert_eq!(
            call_scalars(&dynamic_get(), vec![bag.clone(), s("key2")]),
            s("\"value4\"")
        );
        assert_eq!(
            call_scalars(&dynamic_get(), vec![bag, s("nope")]),
            ScalarValue::Utf8(None)
        );
        // geo docs example: coordinates[0] and coordinates[1] of [42.47314453125, 23.70849609375].
        let point = s("[42.47314453125, 23.70849609375]");
        assert_eq!(
            call_scalars(&dynamic_get(), vec![point.clone(), long(1)]),
            s("23.70849609375")
        );
        assert_eq!(
            call_scalars(&dynamic_get(), vec![point.clone(), long(-2)]),
            s("42.47314453125")
        );
        assert_eq!(
            call_scalars(&dynamic_get(), vec![point, long(2)]),
            ScalarValue::Utf8(None)
        );
    }
}
