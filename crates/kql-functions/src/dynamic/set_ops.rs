//! `set_union(a1, a2, ...)` and `set_intersect(a1, a2, ...)`: distinct elements, in order of first
//! appearance; null when an argument is not an array
//! (`set_union(dynamic([1,2,3]), dynamic([2,3,4]))` is `[1,2,3,4]`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use serde_json::Value;

use super::json::arrays_at;
use crate::declare::*;
use crate::string::kernel::{Args, Param, Params, define, optional_string_rows};

const PARAMS: Params = Params::variadic(&[Param::Str, Param::Str], Param::Str);

/// `kql_set_union(array: Utf8 (dynamic), array, ...) -> Utf8 (dynamic)`.
pub fn set_union() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_set_union", PARAMS, DataType::Utf8, |args| eval(args, false))
    )
}

pub(crate) static SET_UNION: KustoFunction = KustoFunction::scalar(
    Signature::scalar("set_union", &[P::Dynamic, P::Dynamic], R::Fixed(T::Dynamic)).variadic(),
    set_union,
);

/// `kql_set_intersect(array: Utf8 (dynamic), array, ...) -> Utf8 (dynamic)`.
pub fn set_intersect() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_set_intersect", PARAMS, DataType::Utf8, |args| {
            eval(args, true)
        })
    )
}

pub(crate) static SET_INTERSECT: KustoFunction = KustoFunction::scalar(
    Signature::scalar("set_intersect", &[P::Dynamic, P::Dynamic], R::Fixed(T::Dynamic)).variadic(),
    set_intersect,
);

fn eval(args: &Args, intersect: bool) -> Result<ColumnarValue> {
    let columns = (0..args.len()).map(|i| args.str(i)).collect::<Result<Vec<_>>>()?;
    optional_string_rows(args, |row| {
        let Some(arrays) = arrays_at(&columns, row) else {
            return Ok(None);
        };
        let mut result: Vec<Value> = Vec::new();
        for item in arrays.iter().flatten() {
            let keep = !intersect || arrays.iter().all(|array| array.contains(item));
            if keep && !result.contains(item) {
                result.push(item.clone());
            }
        }
        Ok(Some(Value::Array(result).to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // set_union(dynamic([1,2,3]), dynamic([2,3,4])) style; set_intersect keeps common elements.
        assert_eq!(
            call_scalars(&set_union(), vec![s("[1,2,3]"), s("[2,3,4]")]),
            s("[1,2,3,4]")
        );
        assert_eq!(
            call_scalars(&set_intersect(), vec![s("[1,2,3]"), s("[2,3,4]")]),
            s("[2,3]")
        );
        assert_eq!(
            call_scalars(&set_intersect(), vec![s("[1,2]"), s("[3]")]),
            s("[]")
        );
    }
}
