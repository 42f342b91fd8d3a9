//! `endswith` / `endswith_cs` ("Fabrikam" endswith "Kam").

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::affix::{AT_END, IGNORING_CASE, MATCHING_CASE, affix_udf};
use crate::declare::*;

/// `kql_endswith(row: Utf8, suffix: Utf8) -> Boolean`, case-insensitive.
pub fn endswith() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, affix_udf::<AT_END, IGNORING_CASE>("kql_endswith"))
}

pub(crate) static ENDSWITH: InternalFunction = InternalFunction::scalar("endswith", endswith);

/// `kql_endswith_cs(row: Utf8, suffix: Utf8) -> Boolean`.
pub fn endswith_cs() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, affix_udf::<AT_END, MATCHING_CASE>("kql_endswith_cs"))
}

pub(crate) static ENDSWITH_CS: InternalFunction = InternalFunction::scalar("endswith_cs", endswith_cs);

#[cfg(test)]
mod tests {
    use super::super::affix::assert_affix_cases;
    use super::*;

    #[test]
    fn docs_examples() {
        // "Fabrikam" endswith "Kam"; "Fabrikam" !endswith "brik"; "Fabrikam" endswith_cs "kam";
        // "Fabrikam" !endswith_cs "brik".
        assert_affix_cases(
            &endswith(),
            &[
                ("Fabrikam", "Kam", true),
                ("Fabrikam", "brik", false),
                ("C:\\TOR\\TOR.EXE", "\\tor.exe", true),
                ("Straße", "SSE", false),
            ],
        );
        assert_affix_cases(
            &endswith_cs(),
            &[("Fabrikam", "kam", true), ("Fabrikam", "Kam", false)],
        );
    }
}
