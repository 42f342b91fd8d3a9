//! `base64_decode_toarray(b64)` / `base64_encode_fromarray(bytes)`: Base64 to and from a dynamic array
//! of byte values. Decoding gives null when the input is not padded Base64; encoding gives "" when
//! the argument is not an array of whole numbers in 0..=255 (docs: `base64_decode_toarray("S3VzdG8=")`
//! is `[75,117,115,116,111]`).

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::kernel::{Param, Params, define, optional_string_rows, string_rows};
use crate::declare::*;
use crate::dynamic::json::parse;

/// `kql_base64_decode_toarray(b64: Utf8) -> Utf8 (dynamic)`.
pub fn base64_decode_toarray() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_base64_decode_toarray",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let b64 = args.str(0)?;
                optional_string_rows(args, |row| {
                    Ok(STANDARD
                        .decode(b64.get(row))
                        .ok()
                        .map(|bytes| Value::Array(bytes.into_iter().map(Value::from).collect()).to_string()))
                })
            },
        )
    )
}

pub(crate) static BASE64_DECODE_TOARRAY: KustoFunction = KustoFunction::scalar(
    Signature::scalar("base64_decode_toarray", &[P::Str], R::Fixed(T::Dynamic)),
    base64_decode_toarray,
);

/// `kql_base64_encode_fromarray(bytes: Utf8 (dynamic)) -> Utf8`.
pub fn base64_encode_fromarray() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_base64_encode_fromarray",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let array = args.str(0)?;
                string_rows(args, |row, out| {
                    if let Some(bytes) = array.get_opt(row).and_then(|text| byte_values(&parse(text))) {
                        STANDARD.encode_string(bytes, out);
                    }
                    Ok(())
                })
            },
        )
    )
}

pub(crate) static BASE64_ENCODE_FROMARRAY: KustoFunction = KustoFunction::scalar(
    Signature::scalar("base64_encode_fromarray", &[P::Dynamic], R::Fixed(T::String)),
    base64_encode_fromarray,
);

/// The bytes of an array of whole numbers in 0..=255; `None` for anything else.
fn byte_values(value: &Value) -> Option<Vec<u8>> {
    let Value::Array(items) = value else {
        return None;
    };
    items
        .iter()
        .map(|item| item.as_u64().and_then(|v| u8::try_from(v).ok()))
        .collect()
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // Emulator cases base64-decode-toarray-function-00 and base64-encode-fromarray-function-00/01
        // (the unpadded "U3RyaW5n0KHR0tGA0L7Rh9C60LA" decodes to nothing and encodes back to "").
        assert_eq!(
            call_scalars(&base64_decode_toarray(), vec![s("S3VzdG8=")]),
            s("[75,117,115,116,111]")
        );
        assert_eq!(
            call_scalars(&base64_decode_toarray(), vec![s("U3RyaW5n0KHR0tGA0L7Rh9C60LA")]),
            ScalarValue::Utf8(None)
        );
        assert_eq!(
            call_scalars(&base64_encode_fromarray(), vec![s("[75,117,115,116,111]")]),
            s("S3VzdG8=")
        );
        assert_eq!(
            call_scalars(&base64_encode_fromarray(), vec![ScalarValue::Utf8(None)]),
            s("")
        );
        assert_eq!(call_scalars(&base64_encode_fromarray(), vec![s("[256]")]), s(""));
    }
}
