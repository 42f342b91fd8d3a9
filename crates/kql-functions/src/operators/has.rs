//! `has` / `has_cs`: the needle occurs as whole terms ("North America" has "america").

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::matcher::{Anchor, STRING_PAIR, match_rows};
use crate::declare::*;
use crate::string::kernel::define;

/// `kql_has(row: Utf8, needle: Utf8) -> Boolean`, case-insensitive.
pub fn has() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_has", STRING_PAIR, DataType::Boolean, |args| {
            match_rows(args, Anchor::Term, false)
        })
    )
}

pub(crate) static HAS: InternalFunction = InternalFunction::scalar("has", has);

/// `kql_has_cs(row: Utf8, needle: Utf8) -> Boolean`.
pub fn has_cs() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_has_cs", STRING_PAIR, DataType::Boolean, |args| {
            match_rows(args, Anchor::Term, true)
        })
    )
}

pub(crate) static HAS_CS: InternalFunction = InternalFunction::scalar("has_cs", has_cs);

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{Array, AsArray, StringArray};
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::*;
    use crate::string::kernel::testing::{call, call_scalars, s};

    fn check(udf: &ScalarUDF, row: &str, needle: &str) -> bool {
        match call_scalars(udf, vec![s(row), s(needle)]) {
            ScalarValue::Boolean(Some(b)) => b,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn docs_examples() {
        // String operators table: "North America" has "america"; "North America" has_cs "America".
        assert!(check(&has(), "North America", "america"));
        assert!(!check(&has(), "North America", "amer"));
        assert!(check(&has_cs(), "North America", "America"));
        assert!(!check(&has_cs(), "North America", "america"));
    }

    #[test]
    fn array_rows_with_null_read_as_empty() {
        let rows = StringArray::from(vec![Some("tor.exe started"), None, Some("torrent")]);
        let result = call(
            &has(),
            vec![
                ColumnarValue::Array(Arc::new(rows)),
                ColumnarValue::Scalar(s("TOR")),
            ],
        )
        .unwrap()
        .into_array(3)
        .unwrap();
        let result = result.as_boolean();
        assert_eq!(result.null_count(), 0);
        assert_eq!(
            (result.value(0), result.value(1), result.value(2)),
            (true, false, false)
        );
    }

    #[test]
    fn array_needles_are_matched_row_by_row() {
        let rows = StringArray::from(vec!["a b", "a b"]);
        let needles = StringArray::from(vec!["b", "c"]);
        let result = call(
            &has(),
            vec![
                ColumnarValue::Array(Arc::new(rows)),
                ColumnarValue::Array(Arc::new(needles)),
            ],
        )
        .unwrap()
        .into_array(2)
        .unwrap();
        assert_eq!(
            result.as_boolean().iter().collect::<Vec<_>>(),
            vec![Some(true), Some(false)]
        );
    }
}
