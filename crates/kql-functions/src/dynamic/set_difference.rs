//! `set_difference(array1, array2, ...)`: the distinct elements of `array1` found in none of the other
//! arrays, in order of first appearance; null when an argument is not an array
//! (`set_difference(dynamic([1,2,3]), dynamic([1,2,3]))` is `[]`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::json::arrays_at;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_set_difference(array: Utf8 (dynamic), array, ...) -> Utf8 (dynamic)`.
pub fn set_difference() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::variadic(&[Param::Str, Param::Str], Param::Str);
        define("kql_set_difference", params, DataType::Utf8, |args| {
            let columns = (0..args.len()).map(|i| args.str(i)).collect::<Result<Vec<_>>>()?;
            optional_string_rows(args, |row| {
                let Some(arrays) = arrays_at(&columns, row) else {
                    return Ok(None);
                };
                let Some((first, others)) = arrays.split_first() else {
                    return Ok(None);
                };
                let mut result: Vec<Value> = Vec::new();
                for item in first {
                    if !others.iter().any(|other| other.contains(item)) && !result.contains(item) {
                        result.push(item.clone());
                    }
                }
                Ok(Some(Value::Array(result).to_string()))
            })
        })
    })
}

pub(crate) static SET_DIFFERENCE: KustoFunction = KustoFunction::scalar(
    Signature::scalar("set_difference", &[P::Dynamic, P::Dynamic], R::Fixed(T::Dynamic)).variadic(),
    set_difference,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // Emulator cases set-difference-function-00 (first row) and -01.
        assert_eq!(
            call_scalars(&set_difference(), vec![s("[1,2,1,4]"), s("[1,2]"), s("[1,2,8]")]),
            s("[4]")
        );
        assert_eq!(
            call_scalars(&set_difference(), vec![s("[1,2,3]"), s("[1,2,3]")]),
            s("[]")
        );
    }
}
