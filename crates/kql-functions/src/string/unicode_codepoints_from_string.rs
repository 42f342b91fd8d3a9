//! `unicode_codepoints_from_string(value)` (deprecated name `to_utf8`): the string's Unicode code
//! points as a dynamic array (`unicode_codepoints_from_string("⒦⒰⒮⒯⒪")` is
//! `[9382,9392,9390,9391,9386]`), the inverse of `unicode_codepoints_to_string`.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::kernel::{Param, Params, define, optional_string_rows};
use crate::declare::*;

/// `kql_unicode_codepoints_from_string(value: Utf8) -> Utf8 (dynamic)`.
pub fn unicode_codepoints_from_string() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_unicode_codepoints_from_string",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let text = args.str(0)?;
                optional_string_rows(args, |row| {
                    let points = text.get(row).chars().map(|c| Value::from(u32::from(c))).collect();
                    Ok(Some(Value::Array(points).to_string()))
                })
            },
        )
    )
}

pub(crate) static UNICODE_CODEPOINTS_FROM_STRING: KustoFunction = KustoFunction::scalar(
    Signature::scalar("unicode_codepoints_from_string", &[P::Str], R::Fixed(T::Dynamic))
        .aliases(&["to_utf8"]),
    unicode_codepoints_from_string,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        let points = |text: &str| call_scalars(&unicode_codepoints_from_string(), vec![s(text)]);
        assert_eq!(points("⒦⒰⒮⒯⒪"), s("[9382,9392,9390,9391,9386]"));
        assert_eq!(
            points("קוסטו - Kusto"),
            s("[1511,1493,1505,1496,1493,32,45,32,75,117,115,116,111]")
        );
        assert_eq!(points("😀"), s("[128512]"));
        assert_eq!(points(""), s("[]"));
    }
}
