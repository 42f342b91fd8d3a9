//! `todynamic(x)` / `parse_json(x)`: a string holding JSON becomes that value (as compact JSON text);
//! a string that is not valid JSON becomes a dynamic string holding it (docs: "If json is of type
//! string but isn't a properly formatted JSON string, the returned value is an object of type dynamic
//! that holds the original string value"). Non-string values become dynamic as by `kql_to_dynamic`.
//! The empty string becomes null (`isnull(parse_json(""))` is true on isnull's and isempty's pages).
//! A dynamic argument is returned as-is by Kusto: the planner skips the call for one.

use std::sync::Arc;

use datafusion::arrow::array::StringBuilder;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use serde_json::Value;

use super::render::{Scalar, for_each};
use crate::declare::*;
use crate::string::kernel::{Args, Param, Params, define};

const PARAMS: Params = Params::fixed(&[Param::Any]);

/// `kql_todynamic(x: any) -> Utf8 (dynamic)`.
pub fn todynamic() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, define("kql_todynamic", PARAMS, DataType::Utf8, eval))
}

pub(crate) static TODYNAMIC: KustoFunction = KustoFunction::scalar(
    Signature::scalar("todynamic", &[P::Any], R::Fixed(T::Dynamic))
        .named(N::FirstArgument)
        .aliases(&["toobject"]),
    todynamic,
);

/// `kql_parse_json(x: any) -> Utf8 (dynamic)`, the same as `kql_todynamic`.
pub fn parse_json() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, define("kql_parse_json", PARAMS, DataType::Utf8, eval))
}

pub(crate) static PARSE_JSON: KustoFunction = KustoFunction::scalar(
    Signature::scalar("parse_json", &[P::Any], R::Fixed(T::Dynamic))
        .named(N::FirstArgument)
        .aliases(&["parsejson"]),
    parse_json,
);

fn eval(args: &Args) -> Result<ColumnarValue> {
    let mut out = StringBuilder::with_capacity(args.rows(), args.rows() * 16);
    for_each(&args.any(0)?, |v| {
        match v {
            // The empty string is no JSON and no value: `isnull(parse_json(""))` is true (isnull's page).
            None | Some(Scalar::Str("")) => out.append_null(),
            Some(Scalar::Str(text)) => {
                let value = serde_json::from_str::<Value>(text).unwrap_or_else(|_| Value::from(text));
                out.append_value(value.to_string());
            }
            Some(other) => out.append_value(other.to_json().to_string()),
        }
        Ok(())
    })?;
    args.finish(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // parse_json('{"a":123, "b":"hello", "c":[1,2,3], "d":{}}') gives that bag.
        let text = r#"{"a":123, "b":"hello", "c":[1,2,3], "d":{}}"#;
        assert_eq!(
            call_scalars(&parse_json(), vec![s(text)]),
            s(r#"{"a":123,"b":"hello","c":[1,2,3],"d":{}}"#)
        );
        assert_eq!(call_scalars(&todynamic(), vec![s("not json")]), s("\"not json\""));
        assert_eq!(call_scalars(&parse_json(), vec![s("")]), ScalarValue::Utf8(None));
        assert_eq!(call_scalars(&todynamic(), vec![long(5)]), s("5"));
        assert_eq!(
            call_scalars(&todynamic(), vec![ScalarValue::Utf8(None)]),
            ScalarValue::Utf8(None)
        );
    }
}
