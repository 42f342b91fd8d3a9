//! `matches regex`: the row contains a match of the RE2-syntax pattern (`"Fabrikam" matches regex
//! "b.*k"`). The pattern is compiled once per batch when it is a scalar.

use std::sync::Arc;

use datafusion::arrow::array::BooleanBuilder;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};

use super::matcher::STRING_PAIR;
use crate::declare::*;
use crate::string::kernel::{Args, Prepared, define};
use crate::string::regex::compile;

/// `kql_matches_regex(row: Utf8, pattern: Utf8) -> Boolean`.
pub fn matches_regex() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_matches_regex", STRING_PAIR, DataType::Boolean, eval)
    )
}

pub(crate) static MATCHES_REGEX: InternalFunction = InternalFunction::scalar("matches_regex", matches_regex);

fn eval(args: &Args) -> Result<ColumnarValue> {
    let (rows, patterns) = (args.str(0)?, args.str(1)?);
    let mut prepared = Prepared::new();
    let mut result = BooleanBuilder::with_capacity(args.rows());
    for row in 0..args.rows() {
        let regex = prepared.get(patterns.get(row), |p| compile(args.name(), p))?;
        result.append_value(regex.is_match(rows.get(row)));
    }
    args.finish(Arc::new(result.finish()))
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call, call_scalars, s};

    #[test]
    fn docs_examples() {
        // "Fabrikam" matches regex "b.*k".
        assert_eq!(
            call_scalars(&matches_regex(), vec![s("Fabrikam"), s("b.*k")]),
            ScalarValue::Boolean(Some(true))
        );
        assert_eq!(
            call_scalars(&matches_regex(), vec![s("Fabrikam"), s("^b")]),
            ScalarValue::Boolean(Some(false))
        );
    }

    #[test]
    fn invalid_patterns_are_errors() {
        let args = vec![
            ColumnarValue::Scalar(s("x")),
            ColumnarValue::Scalar(s("(unclosed")),
        ];
        let error = call(&matches_regex(), args).unwrap_err().to_string();
        assert!(error.contains("kql_matches_regex"), "{error}");
    }
}
