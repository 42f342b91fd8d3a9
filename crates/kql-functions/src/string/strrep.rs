//! `strrep(value, multiplier[, delimiter])`: the value repeated (`strrep("ABC", 2)` is "ABCABC",
//! `strrep("123", 3, ".")` is "123.123.123"); the planner converts a non-string value with
//! `kql_tostring` first. A multiplier below 1 gives "" and Kusto caps it at 1024 repetitions.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{Param, Params, define, string_rows};
use crate::declare::*;

const MAX_REPETITIONS: i64 = 1024;

/// `kql_strrep(value: Utf8, multiplier: Int64[, delimiter: Utf8]) -> Utf8`.
pub fn strrep() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::optional(&[Param::Str, Param::Long], &[Param::Str]);
        define("kql_strrep", params, DataType::Utf8, |args| {
            let (value, multiplier) = (args.str(0)?, args.long(1)?);
            let delimiter = if args.has(2) { Some(args.str(2)?) } else { None };
            string_rows(args, |row, out| {
                let times = multiplier.get(row).unwrap_or(0).clamp(0, MAX_REPETITIONS);
                let delimiter = delimiter.as_ref().map_or("", |d| d.get(row));
                for i in 0..times {
                    if i > 0 {
                        out.push_str(delimiter);
                    }
                    out.push_str(value.get(row));
                }
                Ok(())
            })
        })
    })
}

pub(crate) static STRREP: KustoFunction = KustoFunction::scalar(
    Signature::scalar("strrep", &[P::Text, P::Integer, P::Str], R::Fixed(T::String)).optional_from(2),
    strrep,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // Emulator case strrep-function-00: strrep('ABC', 2) "ABCABC"; strrep(123,3,'.') "123.123.123";
        // strrep(3s,2,' ') "00:00:03 00:00:03".
        assert_eq!(call_scalars(&strrep(), vec![s("ABC"), long(2)]), s("ABCABC"));
        assert_eq!(
            call_scalars(&strrep(), vec![s("123"), long(3), s(".")]),
            s("123.123.123")
        );
        assert_eq!(
            call_scalars(&strrep(), vec![s("00:00:03"), long(2), s(" ")]),
            s("00:00:03 00:00:03")
        );
        assert_eq!(call_scalars(&strrep(), vec![s("x"), long(-1)]), s(""));
    }
}
