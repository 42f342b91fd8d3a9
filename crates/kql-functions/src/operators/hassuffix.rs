//! `hassuffix` / `hassuffix_cs`: the needle occurs at the end of a term ("North America" hassuffix
//! "ica").

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::matcher::{Anchor, STRING_PAIR, match_rows};
use crate::declare::*;
use crate::string::kernel::define;

/// `kql_hassuffix(row: Utf8, needle: Utf8) -> Boolean`, case-insensitive.
pub fn hassuffix() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_hassuffix", STRING_PAIR, DataType::Boolean, |args| {
            match_rows(args, Anchor::TermEnd, false)
        })
    )
}

pub(crate) static HASSUFFIX: InternalFunction = InternalFunction::scalar("hassuffix", hassuffix);

/// `kql_hassuffix_cs(row: Utf8, needle: Utf8) -> Boolean`.
pub fn hassuffix_cs() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_hassuffix_cs", STRING_PAIR, DataType::Boolean, |args| {
            match_rows(args, Anchor::TermEnd, true)
        })
    )
}

pub(crate) static HASSUFFIX_CS: InternalFunction = InternalFunction::scalar("hassuffix_cs", hassuffix_cs);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // "North America" hassuffix "ica"; "North America" !hassuffix "americ";
        // "North America" hassuffix_cs "ica"; "North America" !hassuffix_cs "icA".
        let t = ScalarValue::Boolean(Some(true));
        let f = ScalarValue::Boolean(Some(false));
        assert_eq!(call_scalars(&hassuffix(), vec![s("North America"), s("ica")]), t);
        assert_eq!(
            call_scalars(&hassuffix(), vec![s("North America"), s("americ")]),
            f
        );
        assert_eq!(
            call_scalars(&hassuffix_cs(), vec![s("North America"), s("ica")]),
            t
        );
        assert_eq!(
            call_scalars(&hassuffix_cs(), vec![s("North America"), s("icA")]),
            f
        );
    }
}
