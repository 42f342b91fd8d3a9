//! `array_index_of(array, lookup, start, length, occurrence)`: the index of the `occurrence`-th
//! element equal to `lookup` among `length` elements from `start` (negative `start` counts from the
//! end, `length` -1 means to the end); -1 when not found, null when `array` is not an array or
//! `occurrence`/`length` are out of range
//! (`array_index_of(dynamic(["this","is","an","example","an","example"]), "example", 1, 3)` is 3).

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::json::{arrays_at, parse};
use crate::declare::*;
use crate::string::kernel::{Param, Params, PrimitiveColumn, define, long_rows};

/// `kql_array_index_of(array: Utf8 (dynamic), lookup: Utf8 (dynamic), start: Int64, length: Int64,
/// occurrence: Int64) -> Int64`.
pub fn array_index_of() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::optional(
            &[Param::Str, Param::Str],
            &[Param::Long, Param::Long, Param::Long],
        );
        define("kql_array_index_of", params, DataType::Int64, |args| {
            let (columns, lookup) = ([args.str(0)?], args.str(1)?);
            let start = args.has(2).then(|| args.long(2)).transpose()?;
            let length = args.has(3).then(|| args.long(3)).transpose()?;
            let occurrence = args.has(4).then(|| args.long(4)).transpose()?;
            long_rows(args, |row| {
                let Some(mut arrays) = arrays_at(&columns, row) else {
                    return Ok(None);
                };
                let lookup = lookup.get_opt(row).map_or(Value::Null, parse);
                let (Some(start), Some(length), Some(occurrence)) = (
                    long_or(&start, row, 0),
                    long_or(&length, row, -1),
                    long_or(&occurrence, row, 1),
                ) else {
                    return Ok(None);
                };
                if occurrence < 1 || length < -1 {
                    return Ok(None);
                }
                Ok(Some(index_of(
                    &arrays.remove(0),
                    &lookup,
                    start,
                    length,
                    occurrence,
                )))
            })
        })
    })
}

pub(crate) static ARRAY_INDEX_OF: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "array_index_of",
        &[P::Dynamic, P::Dynamic, P::Integer, P::Integer, P::Integer],
        R::Fixed(T::Long),
    )
    .optional_from(2),
    array_index_of,
);

/// An optional argument's value, `default` when it was not given.
fn long_or(column: &Option<PrimitiveColumn<'_, Int64Type>>, row: usize, default: i64) -> Option<i64> {
    column.as_ref().map_or(Some(default), |column| column.get(row))
}

/// The index of the `occurrence`-th (from 1) match in the searched range, or -1.
fn index_of(items: &[Value], lookup: &Value, start: i64, length: i64, occurrence: i64) -> i64 {
    let len = items.len() as i64;
    let start = if start < 0 { (len + start).max(0) } else { start };
    let end = if length == -1 {
        len
    } else {
        start.saturating_add(length).min(len)
    };
    (start..end)
        .filter(|&i| &items[i as usize] == lookup)
        .nth((occurrence - 1) as usize)
        .unwrap_or(-1)
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // Emulator case array-index-of-function-00.
        let array = r#"["this","is","an","example","an","example"]"#;
        let index = |lookup: &str, rest: &[i64]| {
            let mut args = vec![s(array), s(lookup)];
            args.extend(rest.iter().map(|&v| long(v)));
            call_scalars(&array_index_of(), args)
        };
        assert_eq!(index(r#""an""#, &[]), long(2));
        assert_eq!(index(r#""example""#, &[1, 3]), long(3));
        assert_eq!(index(r#""example""#, &[1, 2]), long(-1));
        assert_eq!(index(r#""is""#, &[2, 4]), long(-1));
        assert_eq!(index(r#""example""#, &[2, -1]), long(3));
        assert_eq!(index(r#""an""#, &[1, -1, 2]), long(4));
        assert_eq!(index(r#""an""#, &[1, -1, 3]), long(-1));
        assert_eq!(index(r#""an""#, &[-3]), long(4));
        assert_eq!(index(r#""is""#, &[-4]), long(-1));
        assert_eq!(
            call_scalars(&array_index_of(), vec![s("5"), s("5")]),
            ScalarValue::Int64(None)
        );
    }
}
