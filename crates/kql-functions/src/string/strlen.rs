//! `strlen(s)`: the length in characters (Unicode code points: `strlen("⒦⒰⒮⒯⒪")` is 5).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{Param, Params, define, long_rows};
use crate::declare::*;

/// `kql_strlen(s: Utf8) -> Int64`.
pub fn strlen() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_strlen",
            Params::fixed(&[Param::Str]),
            DataType::Int64,
            |args| {
                let text = args.str(0)?;
                long_rows(args, |row| Ok(Some(text.get(row).chars().count() as i64)))
            },
        )
    )
}

pub(crate) static STRLEN: KustoFunction = KustoFunction::scalar(
    Signature::scalar("strlen", &[P::Str], R::Fixed(T::Long)).named(N::Prefixed("strlen")),
    strlen,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // strlen("hello") == 5; strlen("⒦⒰⒮⒯⒪") == 5.
        assert_eq!(call_scalars(&strlen(), vec![s("hello")]), long(5));
        assert_eq!(call_scalars(&strlen(), vec![s("⒦⒰⒮⒯⒪")]), long(5));
        assert_eq!(
            call_scalars(&strlen(), vec![datafusion::common::ScalarValue::Utf8(None)]),
            long(0)
        );
    }
}
