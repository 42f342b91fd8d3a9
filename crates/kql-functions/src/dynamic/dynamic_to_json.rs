//! `dynamic_to_json(expr)`: a dynamic value's canonical text, property bags with their properties
//! sorted by name at every depth (`{"A1":12,"A14":[15,13,18],"B1":2,...}`), arrays in their order. A
//! value of another type gives `tostring(value)`, as the docs say; the planner lowers that case to
//! `tostring`, since a dynamic argument cannot be told from a converted one inside the UDF.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::{Expr, ScalarUDF};
use kql_types::KustoType;
use serde_json::{Map, Value};

use super::json;
use crate::declare::*;
use crate::registry::ScalarCall;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_dynamic_to_json(value: Utf8 (dynamic)) -> Utf8`; null stays null.
pub fn dynamic_to_json() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_dynamic_to_json",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let values = args.str(0)?;
                optional_string_rows(args, |row| {
                    Ok(values
                        .get_opt(row)
                        .map(|text| canonical(json::parse(text)).to_string()))
                })
            },
        )
    )
}

pub(crate) static DYNAMIC_TO_JSON: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("dynamic_to_json", &[P::Any], R::Fixed(T::String)),
    lower,
    &[dynamic_to_json],
);

fn lower(call: ScalarCall) -> Result<Expr> {
    let (Some(value), Some(ty)) = (call.args.into_iter().next(), call.types.first()) else {
        return Err(DataFusionError::Internal(
            "dynamic_to_json takes one argument".to_string(),
        ));
    };
    match ty {
        KustoType::Dynamic => Ok(dynamic_to_json().call(vec![value])),
        other => crate::conversion::convert(value, *other, KustoType::String),
    }
}

/// The value with every property bag's properties in name order.
fn canonical(value: Value) -> Value {
    match value {
        Value::Object(bag) => {
            let mut properties: Vec<(String, Value)> = bag.into_iter().collect();
            properties.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(
                properties
                    .into_iter()
                    .map(|(name, value)| (name, canonical(value)))
                    .collect::<Map<String, Value>>(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(canonical).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    fn to_json(dynamic: &str) -> ScalarValue {
        call_scalars(&dynamic_to_json(), vec![s(dynamic)])
    }

    #[test]
    fn docs_example_gives_one_text_for_both_orders() {
        // dynamic-to-json-function: bag1 and bag2 hold the same properties in different orders.
        let bag1 =
            r#"{"Y10":{},"X8":{"c3":1,"d8":5,"a4":6},"D1":114,"A1":12,"B1":2,"C1":3,"A14":[15,13,18]}"#;
        let bag2 =
            r#"{"X8":{"a4":6,"c3":1,"d8":5},"A14":[15,13,18],"C1":3,"B1":2,"Y10":{},"A1":12,"D1":114}"#;
        let expected =
            s(r#"{"A1":12,"A14":[15,13,18],"B1":2,"C1":3,"D1":114,"X8":{"a4":6,"c3":1,"d8":5},"Y10":{}}"#);
        assert_eq!(to_json(bag1), expected);
        assert_eq!(to_json(bag2), expected);
    }

    #[test]
    fn arrays_keep_their_order_and_sort_the_bags_inside() {
        assert_eq!(to_json(r#"[3,{"b":1,"a":2},"x"]"#), s(r#"[3,{"a":2,"b":1},"x"]"#));
        assert_eq!(to_json("null"), s("null"));
        assert_eq!(
            call_scalars(&dynamic_to_json(), vec![ScalarValue::Utf8(None)]),
            ScalarValue::Utf8(None)
        );
    }
}
