//! `base64_encode_tostring(s)` / `base64_decode_tostring(b64)`: Base64 of the UTF-8 bytes; decoding
//! gives "" when the input is not Base64 or the bytes are not UTF-8 (docs:
//! `base64_decode_tostring("U3RyaW5n0KHR0tGA0L7Rh9C60LA=")` is "").

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::define;
use super::transcode::{CODEC_INPUT, transcode_rows};
use crate::declare::*;

/// `kql_base64_encode_tostring(s: Utf8) -> Utf8`.
pub fn base64_encode_tostring() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_base64_encode_tostring",
            CODEC_INPUT,
            DataType::Utf8,
            |args| transcode_rows(args, encode),
        )
    )
}

pub(crate) static BASE64_ENCODE_TOSTRING: KustoFunction = KustoFunction::scalar(
    Signature::scalar("base64_encode_tostring", &[P::Str], R::Fixed(T::String))
        .aliases(&["base64_encodestring"]),
    base64_encode_tostring,
);

/// `kql_base64_decode_tostring(b64: Utf8) -> Utf8`.
pub fn base64_decode_tostring() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_base64_decode_tostring",
            CODEC_INPUT,
            DataType::Utf8,
            |args| transcode_rows(args, decode),
        )
    )
}

pub(crate) static BASE64_DECODE_TOSTRING: KustoFunction = KustoFunction::scalar(
    Signature::scalar("base64_decode_tostring", &[P::Str], R::Fixed(T::String))
        .aliases(&["base64_decodestring"]),
    base64_decode_tostring,
);

fn encode(text: &str, out: &mut String) {
    STANDARD.encode_string(text, out);
}

/// Leaves `out` empty when `b64` is not Base64 of UTF-8 text.
fn decode(b64: &str, out: &mut String) {
    if let Some(decoded) = STANDARD.decode(b64).ok().and_then(|b| String::from_utf8(b).ok()) {
        out.push_str(&decoded);
    }
}

#[cfg(test)]
mod tests {
    use super::super::transcode::assert_transcodes;
    use super::*;

    #[test]
    fn docs_examples() {
        // base64_encode_tostring("Kusto") == "S3VzdG8="; base64_decode_tostring("S3VzdG8=") == "Kusto";
        // base64_decode_tostring("U3RyaW5n0KHR0tGA0L7Rh9C60LA=") == "" (not UTF-8).
        assert_transcodes(&base64_encode_tostring(), &[("Kusto", "S3VzdG8=")]);
        assert_transcodes(
            &base64_decode_tostring(),
            &[
                ("S3VzdG8=", "Kusto"),
                ("U3RyaW5n0KHR0tGA0L7Rh9C60LA=", ""),
                ("not base64!", ""),
            ],
        );
    }
}
