//! `array_iff(condition, when_true, when_false)`: element-wise `iff` over the condition array. A
//! condition element is true when it is `true` or a non-zero number, false when `false` or zero, and
//! gives null otherwise. An array branch contributes its element at the same index (null past its end);
//! any other value is used for every element. Null when `condition` is not an array
//! (`array_iff(dynamic([true,false,true]), dynamic([1,2,3]), dynamic([4,5,6]))` is `[1,5,3]`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::json::parse;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_array_iff(condition: Utf8 (dynamic), when_true: Utf8 (dynamic), when_false: Utf8 (dynamic))
/// -> Utf8 (dynamic)`.
pub fn array_iff() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::fixed(&[Param::Str, Param::Str, Param::Str]);
        define("kql_array_iff", params, DataType::Utf8, |args| {
            let (conditions, when_true, when_false) = (args.str(0)?, args.str(1)?, args.str(2)?);
            optional_string_rows(args, |row| {
                let Some(Value::Array(conditions)) = conditions.get_opt(row).map(parse) else {
                    return Ok(None);
                };
                let branch = |text: Option<&str>| text.map_or(Value::Null, parse);
                let (when_true, when_false) =
                    (branch(when_true.get_opt(row)), branch(when_false.get_opt(row)));
                let result = conditions
                    .iter()
                    .enumerate()
                    .map(|(index, condition)| match truth(condition) {
                        Some(true) => element(&when_true, index),
                        Some(false) => element(&when_false, index),
                        None => Value::Null,
                    })
                    .collect();
                Ok(Some(Value::Array(result).to_string()))
            })
        })
    })
}

pub(crate) static ARRAY_IFF: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "array_iff",
        &[P::Dynamic, P::Dynamic, P::Dynamic],
        R::Fixed(T::Dynamic),
    )
    .aliases(&["array_iif"]),
    array_iff,
);

fn truth(condition: &Value) -> Option<bool> {
    match condition {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|n| n != 0.0),
        _ => None,
    }
}

fn element(branch: &Value, index: usize) -> Value {
    match branch {
        Value::Array(items) => items.get(index).cloned().unwrap_or(Value::Null),
        scalar => scalar.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // Emulator cases array-iff-function-00..03.
        let iff = |c: &str, t: &str, f: &str| call_scalars(&array_iff(), vec![s(c), s(t), s(f)]);
        assert_eq!(iff("[true,false,true]", "[1,2,3]", "[4,5,6]"), s("[1,5,3]"));
        assert_eq!(iff("[1,0,50]", r#""yes""#, r#""no""#), s(r#"["yes","no","yes"]"#));
        assert_eq!(
            iff(
                r#"["some string value","2022-01-01T00:00:00.0000000Z",null]"#,
                "1",
                "0"
            ),
            s("[null,null,null]")
        );
        assert_eq!(iff("[true,true,true]", "[1,2]", "[3,4]"), s("[1,2,null]"));
    }
}
