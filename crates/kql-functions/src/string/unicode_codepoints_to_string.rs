//! `unicode_codepoints_to_string(values, ...)`: the string of the given Unicode code points; each
//! argument is a code point or an array of them (`unicode_codepoints_to_string(dynamic([75,117]), 115)`
//! is `"Kus"`). The arguments arrive as dynamic text.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use crate::declare::*;
use crate::dynamic::json::parse;
use crate::string::kernel::{Param, Params, define, string_rows};

/// `kql_unicode_codepoints_to_string(values: Utf8 (dynamic), ...) -> Utf8`.
pub fn unicode_codepoints_to_string() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::variadic(&[Param::Str], Param::Str);
        define(
            "kql_unicode_codepoints_to_string",
            params,
            DataType::Utf8,
            |args| {
                let columns = (0..args.len()).map(|i| args.str(i)).collect::<Result<Vec<_>>>()?;
                string_rows(args, |row, out| {
                    let valid = columns.iter().all(|column| match column.get_opt(row).map(parse) {
                        Some(Value::Array(items)) => items.iter().all(|item| push_code_point(item, out)),
                        Some(value) => push_code_point(&value, out),
                        None => true,
                    });
                    // "If any argument isn't a valid Unicode codepoint, the function returns null":
                    // a Kusto string's null is the empty string.
                    if !valid {
                        out.clear();
                    }
                    Ok(())
                })
            },
        )
    })
}

pub(crate) static UNICODE_CODEPOINTS_TO_STRING: KustoFunction = KustoFunction::scalar(
    Signature::scalar("unicode_codepoints_to_string", &[P::Dynamic], R::Fixed(T::String))
        .variadic()
        .aliases(&["make_string"]),
    unicode_codepoints_to_string,
);

/// Appends the character of code point `value`; false when it is none (above U+10FFFF, negative,
/// a surrogate, not a number).
fn push_code_point(value: &Value, out: &mut String) -> bool {
    let code = value
        .as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .and_then(char::from_u32);
    code.map(|c| out.push(c)).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // Emulator cases unicode-codepoints-to-string-function-00..03.
        let udf = unicode_codepoints_to_string();
        let numbers = |ns: &[&str]| ns.iter().map(|n| s(n)).collect::<Vec<_>>();
        assert_eq!(
            call_scalars(&udf, numbers(&["75", "117", "115", "116", "111"])),
            s("Kusto")
        );
        assert_eq!(call_scalars(&udf, numbers(&["[75,117,115,116,111]"])), s("Kusto"));
        assert_eq!(
            call_scalars(&udf, numbers(&["[75,117,115]", "116", "111"])),
            s("Kusto")
        );
        assert_eq!(
            call_scalars(&udf, numbers(&["75", "10", "117", "10", "115"])),
            s("K\nu\ns")
        );
        // Not code points: the result is null, Kusto's empty string.
        for invalid in ["1114112", "-1", "55296", "\"x\""] {
            assert_eq!(call_scalars(&udf, numbers(&["75", invalid])), s(""), "{invalid}");
        }
    }
}
