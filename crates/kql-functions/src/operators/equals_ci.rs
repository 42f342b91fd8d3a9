//! `=~`: equality ignoring case ("abc" =~ "ABC").

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::matcher::{STRING_PAIR, compare_rows, equals_ignore_case};
use crate::declare::*;
use crate::string::kernel::define;

/// `kql_equals_ci(left: Utf8, right: Utf8) -> Boolean`.
pub fn equals_ci() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_equals_ci", STRING_PAIR, DataType::Boolean, |args| {
            compare_rows(args, equals_ignore_case)
        })
    )
}

pub(crate) static EQUALS_CI: InternalFunction = InternalFunction::scalar("equals_ci", equals_ci);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // "abc" =~ "ABC"; "aBc" !~ "xyz".
        let t = ScalarValue::Boolean(Some(true));
        let f = ScalarValue::Boolean(Some(false));
        assert_eq!(call_scalars(&equals_ci(), vec![s("abc"), s("ABC")]), t);
        assert_eq!(call_scalars(&equals_ci(), vec![s("aBc"), s("xyz")]), f);
        assert_eq!(call_scalars(&equals_ci(), vec![s("ÉTÉ"), s("été")]), t);
        assert_eq!(
            call_scalars(&equals_ci(), vec![ScalarValue::Utf8(None), s("")]),
            t
        );
    }
}
