//! `array_split(array, indices)`: the array cut before each index (a long or an array of longs,
//! negative ones counting from the end) into an array of sub-arrays; null when `array` is not an
//! array or an index is not a whole number
//! (`array_split(dynamic([1,2,3,4,5]), dynamic([1,3]))` is `[[1],[2,3],[4,5]]`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::json::{arrays_at, parse};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_array_split(array: Utf8 (dynamic), indices: Utf8 (dynamic)) -> Utf8 (dynamic)`.
pub fn array_split() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::fixed(&[Param::Str, Param::Str]);
        define("kql_array_split", params, DataType::Utf8, |args| {
            let (columns, indices) = ([args.str(0)?], args.str(1)?);
            optional_string_rows(args, |row| {
                let Some(mut arrays) = arrays_at(&columns, row) else {
                    return Ok(None);
                };
                let indices = match indices.get_opt(row).map(parse) {
                    Some(Value::Array(items)) => items,
                    Some(single @ Value::Number(_)) => vec![single],
                    _ => return Ok(None),
                };
                let Some(indices) = indices.iter().map(Value::as_i64).collect::<Option<Vec<_>>>() else {
                    return Ok(None);
                };
                Ok(Some(
                    Value::Array(split_at(arrays.remove(0), &indices)).to_string(),
                ))
            })
        })
    })
}

pub(crate) static ARRAY_SPLIT: KustoFunction = KustoFunction::scalar(
    // `indices` is a long or an array of longs.
    Signature::scalar("array_split", &[P::Dynamic, P::Dynamic], R::Fixed(T::Dynamic)),
    array_split,
);

/// The pieces between consecutive cut points, each clamped into the array and to at least the
/// previous cut.
fn split_at(items: Vec<Value>, indices: &[i64]) -> Vec<Value> {
    let len = items.len() as i64;
    let mut pieces = Vec::with_capacity(indices.len() + 1);
    let mut from = 0usize;
    for &index in indices {
        let cut = (if index < 0 { len + index } else { index }).clamp(0, len) as usize;
        let cut = cut.max(from);
        pieces.push(Value::Array(items[from..cut].to_vec()));
        from = cut;
    }
    pieces.push(Value::Array(items[from..].to_vec()));
    pieces
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // Emulator cases array-split-function-00 and -01.
        let split = |indices: &str| call_scalars(&array_split(), vec![s("[1,2,3,4,5]"), s(indices)]);
        assert_eq!(split("2"), s("[[1,2],[3,4,5]]"));
        assert_eq!(split("[1,3]"), s("[[1],[2,3],[4,5]]"));
        assert_eq!(split("-1"), s("[[1,2,3,4],[5]]"));
        assert_eq!(split(r#""x""#), ScalarValue::Utf8(None));
    }
}
