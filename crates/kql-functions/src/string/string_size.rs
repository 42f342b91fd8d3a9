//! `string_size(s)`: the size of the string in bytes, as UTF-8 (`string_size("⒦⒰⒮⒯⒪")` is 15 where
//! `strlen` gives 5).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{Param, Params, define, long_rows};
use crate::declare::*;

/// `kql_string_size(s: Utf8) -> Int64`.
pub fn string_size() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_string_size",
            Params::fixed(&[Param::Str]),
            DataType::Int64,
            |args| {
                let text = args.str(0)?;
                long_rows(args, |row| Ok(Some(text.get(row).len() as i64)))
            },
        )
    )
}

pub(crate) static STRING_SIZE: KustoFunction = KustoFunction::scalar(
    Signature::scalar("string_size", &[P::Str], R::Fixed(T::Long)).named(N::Prefixed("string_size")),
    string_size,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // string-size-function: string_size("hello") == 5; string_size("⒦⒰⒮⒯⒪") == 15.
        assert_eq!(call_scalars(&string_size(), vec![s("hello")]), long(5));
        assert_eq!(call_scalars(&string_size(), vec![s("⒦⒰⒮⒯⒪")]), long(15));
        // A string is never null in Kusto: an empty or absent one has no bytes.
        assert_eq!(call_scalars(&string_size(), vec![s("")]), long(0));
        assert_eq!(
            call_scalars(&string_size(), vec![ScalarValue::Utf8(None)]),
            long(0)
        );
    }
}
