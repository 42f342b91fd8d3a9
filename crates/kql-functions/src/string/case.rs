//! `tolower(s)` and `toupper(s)` (`tolower("Hello")` is "hello").

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{Param, Params, define, string_rows};
use crate::declare::*;

/// `kql_tolower(s: Utf8) -> Utf8`.
pub fn tolower() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_tolower",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let text = args.str(0)?;
                string_rows(args, |row, out| {
                    out.push_str(&text.get(row).to_lowercase());
                    Ok(())
                })
            },
        )
    )
}

pub(crate) static TOLOWER: KustoFunction = KustoFunction::scalar(
    Signature::scalar("tolower", &[P::Str], R::Fixed(T::String)),
    tolower,
);

/// `kql_toupper(s: Utf8) -> Utf8`.
pub fn toupper() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_toupper",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let text = args.str(0)?;
                string_rows(args, |row, out| {
                    out.push_str(&text.get(row).to_uppercase());
                    Ok(())
                })
            },
        )
    )
}

pub(crate) static TOUPPER: KustoFunction = KustoFunction::scalar(
    Signature::scalar("toupper", &[P::Str], R::Fixed(T::String)),
    toupper,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // tolower("Hello") == "hello"; toupper("hello") == "HELLO".
        assert_eq!(call_scalars(&tolower(), vec![s("Hello")]), s("hello"));
        assert_eq!(call_scalars(&toupper(), vec![s("hello")]), s("HELLO"));
    }
}
