//! `startswith` / `startswith_cs` ("Fabrikam" startswith "fab").

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::affix::{AT_START, IGNORING_CASE, MATCHING_CASE, affix_udf};
use crate::declare::*;

/// `kql_startswith(row: Utf8, prefix: Utf8) -> Boolean`, case-insensitive.
pub fn startswith() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, affix_udf::<AT_START, IGNORING_CASE>("kql_startswith"))
}

pub(crate) static STARTSWITH: InternalFunction = InternalFunction::scalar("startswith", startswith);

/// `kql_startswith_cs(row: Utf8, prefix: Utf8) -> Boolean`.
pub fn startswith_cs() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        affix_udf::<AT_START, MATCHING_CASE>("kql_startswith_cs")
    )
}

pub(crate) static STARTSWITH_CS: InternalFunction = InternalFunction::scalar("startswith_cs", startswith_cs);

#[cfg(test)]
mod tests {
    use super::super::affix::assert_affix_cases;
    use super::*;

    #[test]
    fn docs_examples() {
        // "Fabrikam" startswith "fab"; "Fabrikam" !startswith "kam"; "Fabrikam" startswith_cs "Fab";
        // "Fabrikam" !startswith_cs "fab".
        assert_affix_cases(
            &startswith(),
            &[
                ("Fabrikam", "fab", true),
                ("Fabrikam", "kam", false),
                ("Änderung", "äN", true),
                ("ab", "abc", false),
            ],
        );
        assert_affix_cases(
            &startswith_cs(),
            &[("Fabrikam", "Fab", true), ("Fabrikam", "fab", false)],
        );
    }
}
