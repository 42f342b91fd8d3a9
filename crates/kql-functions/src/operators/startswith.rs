//! `startswith` / `startswith_cs` ("Fabrikam" startswith "fab").

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::matcher::{STRING_PAIR, compare_rows, starts_with};
use crate::string::kernel::define;

/// `kql_startswith(row: Utf8, prefix: Utf8) -> Boolean`, case-insensitive.
pub fn startswith() -> Arc<ScalarUDF> {
    define("kql_startswith", STRING_PAIR, DataType::Boolean, |args| {
        compare_rows(args, |row, prefix| starts_with(row, prefix, false))
    })
}

/// `kql_startswith_cs(row: Utf8, prefix: Utf8) -> Boolean`.
pub fn startswith_cs() -> Arc<ScalarUDF> {
    define("kql_startswith_cs", STRING_PAIR, DataType::Boolean, |args| {
        compare_rows(args, |row, prefix| starts_with(row, prefix, true))
    })
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // "Fabrikam" startswith "fab"; "Fabrikam" !startswith "kam"; "Fabrikam" startswith_cs "Fab";
        // "Fabrikam" !startswith_cs "fab".
        let t = ScalarValue::Boolean(Some(true));
        let f = ScalarValue::Boolean(Some(false));
        assert_eq!(call_scalars(&startswith(), vec![s("Fabrikam"), s("fab")]), t);
        assert_eq!(call_scalars(&startswith(), vec![s("Fabrikam"), s("kam")]), f);
        assert_eq!(call_scalars(&startswith_cs(), vec![s("Fabrikam"), s("Fab")]), t);
        assert_eq!(call_scalars(&startswith_cs(), vec![s("Fabrikam"), s("fab")]), f);
        assert_eq!(call_scalars(&startswith(), vec![s("Änderung"), s("äN")]), t);
        assert_eq!(call_scalars(&startswith(), vec![s("ab"), s("abc")]), f);
    }
}
