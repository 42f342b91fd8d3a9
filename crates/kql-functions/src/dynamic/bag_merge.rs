//! `bag_merge(bag1, bag2, ...)`: one property bag with the properties of all arguments; a key present
//! in several bags keeps the leftmost value. Null when an argument is not a bag
//! (`bag_merge(dynamic({'A1':12,'B1':2}), dynamic({'A2':81,'A1':1}))` is `{"A1":12,"B1":2,"A2":81}`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;
use serde_json::{Map, Value};

use super::json::parse;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_bag_merge(bag: Utf8 (dynamic), bag, ...) -> Utf8 (dynamic)`.
pub fn bag_merge() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::variadic(&[Param::Str, Param::Str], Param::Str);
        define("kql_bag_merge", params, DataType::Utf8, |args| {
            let columns = (0..args.len()).map(|i| args.str(i)).collect::<Result<Vec<_>>>()?;
            optional_string_rows(args, |row| {
                let mut merged = Map::new();
                for column in &columns {
                    let Some(Value::Object(bag)) = column.get_opt(row).map(parse) else {
                        return Ok(None);
                    };
                    for (key, value) in bag {
                        merged.entry(key).or_insert(value);
                    }
                }
                Ok(Some(Value::Object(merged).to_string()))
            })
        })
    })
}

pub(crate) static BAG_MERGE: KustoFunction = KustoFunction::scalar(
    Signature::scalar("bag_merge", &[P::Dynamic, P::Dynamic], R::Fixed(T::Dynamic)).variadic(),
    bag_merge,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // Emulator case bag-merge-function-00.
        assert_eq!(
            call_scalars(
                &bag_merge(),
                vec![s(r#"{"A1":12,"B1":2,"C1":3}"#), s(r#"{"A2":81,"B2":82,"A1":1}"#)]
            ),
            s(r#"{"A1":12,"B1":2,"C1":3,"A2":81,"B2":82}"#)
        );
        assert_eq!(
            call_scalars(&bag_merge(), vec![s(r#"{"a":1}"#), s("[1]")]),
            ScalarValue::Utf8(None)
        );
    }
}
