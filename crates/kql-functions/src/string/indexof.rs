//! `indexof(s, lookup[, start[, length[, occurrence]]])`: the zero-based character index of an
//! occurrence of `lookup`, -1 when not found; null when length < -1 or occurrence < 0 (docs).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use datafusion::arrow::datatypes::Int64Type;

use super::kernel::{Param, Params, PrimitiveColumn, define, long_rows};
use crate::declare::*;

/// `kql_indexof(s: Utf8, lookup: Utf8[, start: Int64[, length: Int64[, occurrence: Int64]]]) -> Int64`.
pub fn indexof() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::optional(
            &[Param::Str, Param::Str],
            &[Param::Long, Param::Long, Param::Long],
        );
        define("kql_indexof", params, DataType::Int64, |args| {
            let (text, lookup) = (args.str(0)?, args.str(1)?);
            let optional = |index: usize| {
                if args.has(index) {
                    args.long(index).map(Some)
                } else {
                    Ok(None)
                }
            };
            let (start, length, occurrence) = (optional(2)?, optional(3)?, optional(4)?);
            long_rows(args, |row| {
                let read = |column: &Option<PrimitiveColumn<Int64Type>>, default: i64| match column {
                    Some(column) => column.get(row),
                    None => Some(default),
                };
                let (Some(start), Some(length), Some(occurrence)) =
                    (read(&start, 0), read(&length, -1), read(&occurrence, 1))
                else {
                    return Ok(None);
                };
                Ok(find(text.get(row), lookup.get(row), start, length, occurrence))
            })
        })
    })
}

pub(crate) static INDEXOF: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "indexof",
        // "If string or match isn't of type string, the function forcibly casts their value to string."
        &[P::Text, P::Text, P::Integer, P::Integer, P::Integer],
        R::Fixed(T::Long),
    )
    .optional_from(2),
    indexof,
);

fn find(text: &str, lookup: &str, start: i64, length: i64, occurrence: i64) -> Option<i64> {
    if length < -1 || occurrence < 0 {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let needle: Vec<char> = lookup.chars().collect();
    let count = chars.len() as i64;
    // A negative start counts back from the end: indexof("abcdefg", "cde", -5) is 2.
    let mut from = if start < 0 { (count + start).max(0) } else { start };
    let mut found = -1;
    for _ in 0..occurrence.max(1) {
        // Each search examines `length` positions from where the previous occurrence began (+1), as
        // the docs' indexof("abcdefgabcdefg", "cde", 1, 10, 2) == 9 shows.
        let end = if length == -1 {
            count
        } else {
            (from + length).min(count)
        };
        if from > count {
            return Some(-1);
        }
        let window = &chars[from as usize..end as usize];
        match window
            .windows(needle.len().max(1))
            .position(|w| needle.is_empty() || w == needle.as_slice())
        {
            Some(position) => found = from + position as i64,
            None if needle.is_empty() && from <= end => found = from,
            None => return Some(-1),
        }
        from = found + 1;
    }
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // idx1 = indexof("abcdefg","cde") 2; idx2 = indexof("abcdefg","cde",1,4) 2;
        // idx3 = indexof("abcdefg","cde",1,2) -1; idx4 = indexof("abcdefg","cde",3,4) -1;
        // idx5 = indexof("abcdefg","cde",-5) 2; idx6 = indexof(1234567,5,1,4) 4;
        // idx7 = indexof("abcdefg","cde",2,-1) 2; idx8 = indexof("abcdefgabcdefg","cde",1,10,2) 9;
        // idx9 = indexof("abcdefgabcdefg","cde",1,-1,3) -1
        let f = indexof();
        let call = |args: Vec<_>| call_scalars(&f, args);
        assert_eq!(call(vec![s("abcdefg"), s("cde")]), long(2));
        assert_eq!(call(vec![s("abcdefg"), s("cde"), long(1), long(4)]), long(2));
        assert_eq!(call(vec![s("abcdefg"), s("cde"), long(1), long(2)]), long(-1));
        assert_eq!(call(vec![s("abcdefg"), s("cde"), long(3), long(4)]), long(-1));
        assert_eq!(call(vec![s("abcdefg"), s("cde"), long(-5)]), long(2));
        assert_eq!(call(vec![s("1234567"), s("5"), long(1), long(4)]), long(4));
        assert_eq!(call(vec![s("abcdefg"), s("cde"), long(2), long(-1)]), long(2));
        assert_eq!(
            call(vec![s("abcdefgabcdefg"), s("cde"), long(1), long(10), long(2)]),
            long(9)
        );
        assert_eq!(
            call(vec![s("abcdefgabcdefg"), s("cde"), long(1), long(-1), long(3)]),
            long(-1)
        );
        assert_eq!(
            call(vec![s("abc"), s("b"), long(0), long(-2)]),
            datafusion::common::ScalarValue::Int64(None)
        );
    }
}
