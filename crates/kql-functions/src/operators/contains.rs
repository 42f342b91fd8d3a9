//! `contains` / `contains_cs`: the needle occurs anywhere ("FabriKam" contains "BRik"); an empty
//! needle is contained in every string.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::matcher::{Anchor, STRING_PAIR, match_rows};
use crate::declare::*;
use crate::string::kernel::define;

/// `kql_contains(row: Utf8, needle: Utf8) -> Boolean`, case-insensitive.
pub fn contains() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_contains", STRING_PAIR, DataType::Boolean, |args| {
            match_rows(args, Anchor::Anywhere, false)
        })
    )
}

pub(crate) static CONTAINS: InternalFunction = InternalFunction::scalar("contains", contains);

/// `kql_contains_cs(row: Utf8, needle: Utf8) -> Boolean`.
pub fn contains_cs() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_contains_cs", STRING_PAIR, DataType::Boolean, |args| {
            match_rows(args, Anchor::Anywhere, true)
        })
    )
}

pub(crate) static CONTAINS_CS: InternalFunction = InternalFunction::scalar("contains_cs", contains_cs);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // "FabriKam" contains "BRik"; "Fabrikam" !contains "xyz"; "FabriKam" contains_cs "Kam";
        // "Fabrikam" !contains_cs "Kam".
        let t = ScalarValue::Boolean(Some(true));
        let f = ScalarValue::Boolean(Some(false));
        assert_eq!(call_scalars(&contains(), vec![s("FabriKam"), s("BRik")]), t);
        assert_eq!(call_scalars(&contains(), vec![s("Fabrikam"), s("xyz")]), f);
        assert_eq!(call_scalars(&contains_cs(), vec![s("FabriKam"), s("Kam")]), t);
        assert_eq!(call_scalars(&contains_cs(), vec![s("Fabrikam"), s("Kam")]), f);
        assert_eq!(call_scalars(&contains(), vec![s("Fabrikam"), s("")]), t);
        assert_eq!(
            call_scalars(&contains(), vec![s("STRASSE für Äpfel"), s("FÜR ä")]),
            t
        );
    }
}
