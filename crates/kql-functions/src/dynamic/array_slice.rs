//! `array_slice(array, start, end)`: elements `start..=end`, negative indexes counting from the end
//! (`array_slice(dynamic([1,2,3,4,5]), 2, -1)` is `[3,4,5]`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::json::arrays_at;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_array_slice(array: Utf8 (dynamic), start: Int64, end: Int64) -> Utf8 (dynamic)`.
pub fn array_slice() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::fixed(&[Param::Str, Param::Long, Param::Long]);
        define("kql_array_slice", params, DataType::Utf8, |args| {
            let columns = [args.str(0)?];
            let (start, end) = (args.long(1)?, args.long(2)?);
            optional_string_rows(args, |row| {
                let Some(mut arrays) = arrays_at(&columns, row) else {
                    return Ok(None);
                };
                let items = arrays.remove(0);
                let (Some(start), Some(end)) = (start.get(row), end.get(row)) else {
                    return Ok(None);
                };
                let len = items.len() as i64;
                let resolve = |i: i64| if i < 0 { len + i } else { i };
                let (start, end) = (resolve(start).max(0), resolve(end).min(len - 1));
                let slice = if start > end {
                    Vec::new()
                } else {
                    items[start as usize..=end as usize].to_vec()
                };
                Ok(Some(Value::Array(slice).to_string()))
            })
        })
    })
}

pub(crate) static ARRAY_SLICE: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "array_slice",
        &[P::Dynamic, P::Integer, P::Integer],
        R::Fixed(T::Dynamic),
    ),
    array_slice,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // Emulator cases array-slice-function-00/01/02.
        assert_eq!(
            call_scalars(&array_slice(), vec![s("[1,2,3]"), long(1), long(2)]),
            s("[2,3]")
        );
        assert_eq!(
            call_scalars(&array_slice(), vec![s("[1,2,3,4,5]"), long(2), long(-1)]),
            s("[3,4,5]")
        );
        assert_eq!(
            call_scalars(&array_slice(), vec![s("[1,2,3,4,5]"), long(-3), long(-2)]),
            s("[3,4]")
        );
        assert_eq!(
            call_scalars(&array_slice(), vec![s("[1,2]"), long(5), long(9)]),
            s("[]")
        );
    }
}
