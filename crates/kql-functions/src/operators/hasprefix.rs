//! `hasprefix` / `hasprefix_cs`: the needle occurs at the start of a term ("North America" hasprefix
//! "ame").

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::matcher::{Anchor, STRING_PAIR, match_rows};
use crate::declare::*;
use crate::string::kernel::define;

/// `kql_hasprefix(row: Utf8, needle: Utf8) -> Boolean`, case-insensitive.
pub fn hasprefix() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_hasprefix", STRING_PAIR, DataType::Boolean, |args| {
            match_rows(args, Anchor::TermStart, false)
        })
    )
}

pub(crate) static HASPREFIX: InternalFunction = InternalFunction::scalar("hasprefix", hasprefix);

/// `kql_hasprefix_cs(row: Utf8, needle: Utf8) -> Boolean`.
pub fn hasprefix_cs() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_hasprefix_cs", STRING_PAIR, DataType::Boolean, |args| {
            match_rows(args, Anchor::TermStart, true)
        })
    )
}

pub(crate) static HASPREFIX_CS: InternalFunction = InternalFunction::scalar("hasprefix_cs", hasprefix_cs);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // "North America" hasprefix "ame"; "North America" !hasprefix "mer";
        // "North America" hasprefix_cs "Ame"; "North America" !hasprefix_cs "CA".
        let t = ScalarValue::Boolean(Some(true));
        let f = ScalarValue::Boolean(Some(false));
        assert_eq!(call_scalars(&hasprefix(), vec![s("North America"), s("ame")]), t);
        assert_eq!(call_scalars(&hasprefix(), vec![s("North America"), s("mer")]), f);
        assert_eq!(
            call_scalars(&hasprefix_cs(), vec![s("North America"), s("Ame")]),
            t
        );
        assert_eq!(
            call_scalars(&hasprefix_cs(), vec![s("North America"), s("CA")]),
            f
        );
    }
}
