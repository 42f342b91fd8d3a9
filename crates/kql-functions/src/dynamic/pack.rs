//! `pack_array(v1, ...)` and `bag_pack(key1, v1, ...)` (alias `pack`). Values are dynamic JSON text:
//! the planner passes each non-dynamic value through `kql_to_dynamic` (Arrow null is JSON null).
//! (`bag_pack("name", name, "sideCount", sideCount)` is `{"name":"triangle","sideCount":3}`.)

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use serde_json::{Map, Value};

use super::json;
use crate::declare::*;
use crate::string::kernel::{Args, Param, Params, define, optional_string_rows};

/// `kql_pack_array(value: Utf8 (dynamic), ...) -> Utf8 (dynamic)`.
pub fn pack_array() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_pack_array",
            Params::variadic(&[], Param::Str),
            DataType::Utf8,
            |args| {
                let values = (0..args.len()).map(|i| args.str(i)).collect::<Result<Vec<_>>>()?;
                optional_string_rows(args, |row| {
                    let items = values
                        .iter()
                        .map(|v| v.get_opt(row).map_or(Value::Null, json::parse))
                        .collect();
                    Ok(Some(Value::Array(items).to_string()))
                })
            },
        )
    )
}

pub(crate) static PACK_ARRAY: KustoFunction = KustoFunction::scalar(
    Signature::scalar("pack_array", &[P::Dynamic], R::Fixed(T::Dynamic)).variadic(),
    pack_array,
);

/// `kql_bag_pack(key: Utf8, value: Utf8 (dynamic), ...) -> Utf8 (dynamic)`.
pub fn bag_pack() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_bag_pack",
            Params::variadic(&[], Param::Str),
            DataType::Utf8,
            pack_bag,
        )
    )
}

pub(crate) static BAG_PACK: KustoFunction = KustoFunction::scalar(
    Signature::scalar("bag_pack", &[P::Str, P::Dynamic], R::Fixed(T::Dynamic))
        .repeating(2)
        .aliases(&["pack_dictionary"]),
    bag_pack,
);

/// `kql_pack(...)`, the deprecated name of `kql_bag_pack`.
pub fn pack() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_pack",
            Params::variadic(&[], Param::Str),
            DataType::Utf8,
            pack_bag,
        )
    )
}

pub(crate) static PACK: KustoFunction = KustoFunction::scalar(
    Signature::scalar("pack", &[P::Str, P::Dynamic], R::Fixed(T::Dynamic)).repeating(2),
    pack,
);

fn pack_bag(args: &Args) -> Result<ColumnarValue> {
    if !args.len().is_multiple_of(2) {
        return exec_err!(
            "{} takes key/value pairs, got {} arguments",
            args.name(),
            args.len()
        );
    }
    let columns = (0..args.len()).map(|i| args.str(i)).collect::<Result<Vec<_>>>()?;
    optional_string_rows(args, |row| {
        let mut bag = Map::new();
        for pair in columns.chunks(2) {
            let value = pair[1].get_opt(row).map_or(Value::Null, json::parse);
            bag.insert(pair[0].get(row).to_string(), value);
        }
        Ok(Some(Value::Object(bag).to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // make-list docs: bag_pack("name", name, "sideCount", sideCount) == {"name":"triangle","sideCount":3}
        let args = vec![s("name"), s("\"triangle\""), s("sideCount"), s("3")];
        assert_eq!(
            call_scalars(&bag_pack(), args),
            s(r#"{"name":"triangle","sideCount":3}"#)
        );
        // series docs: pack_array(x, y, z) with 1, 2, 4 gives [1,2,4].
        assert_eq!(
            call_scalars(&pack_array(), vec![s("1"), s("2"), s("4")]),
            s("[1,2,4]")
        );
        let error =
            crate::string::kernel::testing::call(&pack(), vec![ColumnarValue::Scalar(s("lonely key"))]);
        assert!(error.is_err());
    }
}
