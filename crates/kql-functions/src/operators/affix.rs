//! Shared body of `startswith` / `endswith` and their `_cs` forms: whether a row begins (or ends) with
//! the needle, compared row by row.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::matcher::{STRING_PAIR, compare_rows, ends_with, starts_with};
use crate::string::kernel::define;

/// Values of `affix_udf`'s `AT_END`: which end of the row the needle must sit at.
pub(super) const AT_START: bool = false;
pub(super) const AT_END: bool = true;

/// Values of `affix_udf`'s `CASE_SENSITIVE`.
pub(super) const IGNORING_CASE: bool = false;
pub(super) const MATCHING_CASE: bool = true;

/// `name(row: Utf8, needle: Utf8) -> Boolean`. The choices are const parameters because a UDF body
/// is a plain function pointer, which cannot capture them.
pub(super) fn affix_udf<const AT_END: bool, const CASE_SENSITIVE: bool>(
    name: &'static str,
) -> Arc<ScalarUDF> {
    define(name, STRING_PAIR, DataType::Boolean, |args| {
        compare_rows(args, |row, needle| {
            if AT_END {
                ends_with(row, needle, CASE_SENSITIVE)
            } else {
                starts_with(row, needle, CASE_SENSITIVE)
            }
        })
    })
}

/// Asserts `udf(row, needle)` for each `(row, needle, expected)`.
#[cfg(test)]
pub(super) fn assert_affix_cases(udf: &ScalarUDF, cases: &[(&str, &str, bool)]) {
    use datafusion::common::ScalarValue;

    use crate::string::kernel::testing::{call_scalars, s};

    for &(row, needle, expected) in cases {
        assert_eq!(
            call_scalars(udf, vec![s(row), s(needle)]),
            ScalarValue::Boolean(Some(expected)),
            "{}({row:?}, {needle:?})",
            udf.name()
        );
    }
}
