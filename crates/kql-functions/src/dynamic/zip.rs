//! `zip(array1, array2, ...)`: an array whose i-th element is the array of every input's i-th
//! element, as long as the longest input, shorter ones padded with null
//! (`zip(dynamic(["A", 1, 1.5]), dynamic([{}, "B"]))` is `[["A",{}],[1,"B"],[1.5,null]]`). An input
//! that is not an array gives null.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::json;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_zip(array: Utf8 (dynamic), ...) -> Utf8 (dynamic)`.
pub fn zip() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_zip",
            Params::variadic(&[Param::Str, Param::Str], Param::Str),
            DataType::Utf8,
            |args| {
                let arrays = (0..args.len()).map(|i| args.str(i)).collect::<Result<Vec<_>>>()?;
                optional_string_rows(args, |row| {
                    let Some(arrays) = json::arrays_at(&arrays, row) else {
                        return Ok(None);
                    };
                    let longest = arrays.iter().map(Vec::len).max().unwrap_or(0);
                    let zipped = (0..longest)
                        .map(|i| {
                            Value::Array(
                                arrays
                                    .iter()
                                    .map(|items| items.get(i).cloned().unwrap_or(Value::Null))
                                    .collect(),
                            )
                        })
                        .collect();
                    Ok(Some(json::to_text(&Value::Array(zipped))))
                })
            },
        )
    )
}

pub(crate) static ZIP: KustoFunction = KustoFunction::scalar(
    Signature::scalar("zip", &[P::Dynamic, P::Dynamic], R::Fixed(T::Dynamic)).variadic(),
    zip,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    fn zipped(arrays: &[&str]) -> ScalarValue {
        call_scalars(&zip(), arrays.iter().map(|a| s(a)).collect())
    }

    #[test]
    fn docs_examples() {
        // zip-function's three examples.
        assert_eq!(zipped(&["[1,3,5]", "[2,4,6]"]), s("[[1,2],[3,4],[5,6]]"));
        assert_eq!(
            zipped(&[r#"["A", 1, 1.5]"#, r#"[{}, "B"]"#]),
            s(r#"[["A",{}],[1,"B"],[1.5,null]]"#)
        );
        assert_eq!(
            zipped(&["[1,2,3]", r#"["one","two","three"]"#]),
            s(r#"[[1,"one"],[2,"two"],[3,"three"]]"#)
        );
    }

    #[test]
    fn three_arrays_empty_arrays_and_non_arrays() {
        assert_eq!(zipped(&["[1]", "[2]", "[3,4]"]), s("[[1,2,3],[null,null,4]]"));
        assert_eq!(zipped(&["[]", "[]"]), s("[]"));
        assert_eq!(zipped(&["[1]", "2"]), ScalarValue::Utf8(None));
        assert_eq!(
            call_scalars(&zip(), vec![s("[1]"), ScalarValue::Utf8(None)]),
            ScalarValue::Utf8(None)
        );
    }
}
