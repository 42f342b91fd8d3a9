//! `isascii(s)`: true when every character of the string is ASCII (so `isascii("")` is true).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{Param, Params, bool_rows, define};
use crate::declare::*;

/// `kql_isascii(s: Utf8) -> Boolean`.
pub fn isascii() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_isascii",
            Params::fixed(&[Param::Str]),
            DataType::Boolean,
            |args| {
                let text = args.str(0)?;
                bool_rows(args, |row| Ok(Some(text.get(row).is_ascii())))
            },
        )
    )
}

pub(crate) static ISASCII: KustoFunction = KustoFunction::scalar(
    Signature::scalar("isascii", &[P::Str], R::Fixed(T::Bool)),
    isascii,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // Emulator case isascii-00: isascii("some string") == true; a non-ASCII letter makes it false.
        assert_eq!(
            call_scalars(&isascii(), vec![s("some string")]),
            ScalarValue::Boolean(Some(true))
        );
        assert_eq!(
            call_scalars(&isascii(), vec![s("café")]),
            ScalarValue::Boolean(Some(false))
        );
    }
}
