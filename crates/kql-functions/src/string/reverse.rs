//! `reverse(s)`: the characters in reverse order (`reverse("ABCDEF")` is "FEDCBA").

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{Param, Params, define, string_rows};
use crate::declare::*;

/// `kql_reverse(s: Utf8) -> Utf8`.
pub fn reverse() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_reverse",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let text = args.str(0)?;
                string_rows(args, |row, out| {
                    out.extend(text.get(row).chars().rev());
                    Ok(())
                })
            },
        )
    )
}

pub(crate) static REVERSE: KustoFunction = KustoFunction::scalar(
    // "If the input value isn't of type string, then the function forcibly casts the value to type string."
    Signature::scalar("reverse", &[P::Text], R::Fixed(T::String)),
    reverse,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // reverse("ABCDEF") == "FEDCBA".
        assert_eq!(call_scalars(&reverse(), vec![s("ABCDEF")]), s("FEDCBA"));
    }
}
