//! `base64_encode_tostring(s)` / `base64_decode_tostring(b64)`: Base64 of the UTF-8 bytes; decoding
//! gives "" when the input is not Base64 or the bytes are not UTF-8 (docs:
//! `base64_decode_tostring("U3RyaW5n0KHR0tGA0L7Rh9C60LA=")` is "").

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{Param, Params, define, string_rows};

/// `kql_base64_encode_tostring(s: Utf8) -> Utf8`.
pub fn base64_encode_tostring() -> Arc<ScalarUDF> {
    define(
        "kql_base64_encode_tostring",
        Params::fixed(&[Param::Str]),
        DataType::Utf8,
        |args| {
            let text = args.str(0)?;
            string_rows(args, |row, out| {
                STANDARD.encode_string(text.get(row), out);
                Ok(())
            })
        },
    )
}

/// `kql_base64_decode_tostring(b64: Utf8) -> Utf8`.
pub fn base64_decode_tostring() -> Arc<ScalarUDF> {
    define(
        "kql_base64_decode_tostring",
        Params::fixed(&[Param::Str]),
        DataType::Utf8,
        |args| {
            let text = args.str(0)?;
            string_rows(args, |row, out| {
                if let Some(decoded) = STANDARD
                    .decode(text.get(row))
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                {
                    out.push_str(&decoded);
                }
                Ok(())
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // base64_encode_tostring("Kusto") == "S3VzdG8="; base64_decode_tostring("S3VzdG8=") == "Kusto";
        // base64_decode_tostring("U3RyaW5n0KHR0tGA0L7Rh9C60LA=") == "" (not UTF-8).
        assert_eq!(
            call_scalars(&base64_encode_tostring(), vec![s("Kusto")]),
            s("S3VzdG8=")
        );
        assert_eq!(
            call_scalars(&base64_decode_tostring(), vec![s("S3VzdG8=")]),
            s("Kusto")
        );
        assert_eq!(
            call_scalars(&base64_decode_tostring(), vec![s("U3RyaW5n0KHR0tGA0L7Rh9C60LA=")]),
            s("")
        );
        assert_eq!(
            call_scalars(&base64_decode_tostring(), vec![s("not base64!")]),
            s("")
        );
    }
}
