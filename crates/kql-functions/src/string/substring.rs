//! `substring(s, start[, length])`: characters from a zero-based `start`; a negative start counts
//! from the end (`substring("123456", -2, 2)` is "56").

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{Param, Params, define, string_rows};
use crate::declare::*;

/// `kql_substring(s: Utf8, start: Int64[, length: Int64]) -> Utf8`; a null start or length gives "".
pub fn substring() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::optional(&[Param::Str, Param::Long], &[Param::Long]);
        define("kql_substring", params, DataType::Utf8, |args| {
            let (text, start) = (args.str(0)?, args.long(1)?);
            let length = if args.has(2) { Some(args.long(2)?) } else { None };
            string_rows(args, |row, out| {
                let text = text.get(row);
                let Some(start) = start.get(row) else {
                    return Ok(());
                };
                let length = match &length {
                    Some(column) => match column.get(row) {
                        Some(length) => length.max(0) as usize,
                        None => return Ok(()),
                    },
                    None => usize::MAX,
                };
                let start = if start < 0 {
                    text.chars().count().saturating_sub(start.unsigned_abs() as usize)
                } else {
                    start as usize
                };
                out.extend(text.chars().skip(start).take(length));
                Ok(())
            })
        })
    })
}

pub(crate) static SUBSTRING: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "substring",
        &[P::Str, P::Integer, P::Integer],
        R::Fixed(T::String),
    )
    .optional_from(2),
    substring,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // substring("123456", 1) // 23456; substring("123456", 2, 2) // 34;
        // substring("ABCD", 0, 2) // AB; substring("123456", -2, 2) // 56
        let f = substring();
        assert_eq!(call_scalars(&f, vec![s("123456"), long(1)]), s("23456"));
        assert_eq!(call_scalars(&f, vec![s("123456"), long(2), long(2)]), s("34"));
        assert_eq!(call_scalars(&f, vec![s("ABCD"), long(0), long(2)]), s("AB"));
        assert_eq!(call_scalars(&f, vec![s("123456"), long(-2), long(2)]), s("56"));
        assert_eq!(call_scalars(&f, vec![s("abc"), long(10)]), s(""));
    }
}
