//! `endswith` / `endswith_cs` ("Fabrikam" endswith "Kam").

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::matcher::{STRING_PAIR, compare_rows, ends_with};
use crate::string::kernel::define;

/// `kql_endswith(row: Utf8, suffix: Utf8) -> Boolean`, case-insensitive.
pub fn endswith() -> Arc<ScalarUDF> {
    define("kql_endswith", STRING_PAIR, DataType::Boolean, |args| {
        compare_rows(args, |row, suffix| ends_with(row, suffix, false))
    })
}

/// `kql_endswith_cs(row: Utf8, suffix: Utf8) -> Boolean`.
pub fn endswith_cs() -> Arc<ScalarUDF> {
    define("kql_endswith_cs", STRING_PAIR, DataType::Boolean, |args| {
        compare_rows(args, |row, suffix| ends_with(row, suffix, true))
    })
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // "Fabrikam" endswith "Kam"; "Fabrikam" !endswith "brik"; "Fabrikam" endswith_cs "kam";
        // "Fabrikam" !endswith_cs "brik".
        let t = ScalarValue::Boolean(Some(true));
        let f = ScalarValue::Boolean(Some(false));
        assert_eq!(call_scalars(&endswith(), vec![s("Fabrikam"), s("Kam")]), t);
        assert_eq!(call_scalars(&endswith(), vec![s("Fabrikam"), s("brik")]), f);
        assert_eq!(call_scalars(&endswith_cs(), vec![s("Fabrikam"), s("kam")]), t);
        assert_eq!(call_scalars(&endswith_cs(), vec![s("Fabrikam"), s("Kam")]), f);
        assert_eq!(
            call_scalars(&endswith(), vec![s("C:\\TOR\\TOR.EXE"), s("\\tor.exe")]),
            t
        );
        assert_eq!(call_scalars(&endswith(), vec![s("Straße"), s("SSE")]), f);
    }
}
