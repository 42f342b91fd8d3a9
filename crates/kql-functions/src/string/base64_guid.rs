//! `base64_encode_fromguid(g)`: Base64 of a GUID's 16 bytes in .NET's order (the first three fields
//! little-endian, as `Guid.ToByteArray` gives them): the docs' example
//! `base64_encode_fromguid(toguid("ae3133f2-6e22-49ae-b06a-16e6a9b212eb"))` is
//! "8jMxriJurkmwahbmqbIS6w==". (`base64_decode_toguid` is refused: its docs example keeps the third
//! field in RFC order, contradicting this one.)

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::define;
use super::transcode::{CODEC_INPUT, transcode_rows};
use crate::conversion::canonical_guid;
use crate::declare::*;

/// `kql_base64_encode_fromguid(g: Utf8 (guid)) -> Utf8`.
pub fn base64_encode_fromguid() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_base64_encode_fromguid",
            CODEC_INPUT,
            DataType::Utf8,
            |args| transcode_rows(args, encode),
        )
    )
}

pub(crate) static BASE64_ENCODE_FROMGUID: KustoFunction = KustoFunction::scalar(
    Signature::scalar("base64_encode_fromguid", &[P::Str], R::Fixed(T::String)),
    base64_encode_fromguid,
);

/// The GUID's bytes in .NET's order; a null guid (empty text here) gives "", as Kusto strings are
/// never null.
fn encode(guid: &str, out: &mut String) {
    let Some(canonical) = canonical_guid(guid) else {
        return;
    };
    let Ok(value) = u128::from_str_radix(&canonical.replace('-', ""), 16) else {
        return;
    };
    let mut bytes = value.to_be_bytes();
    bytes[..4].reverse();
    bytes[4..6].reverse();
    bytes[6..8].reverse();
    STANDARD.encode_string(bytes, out);
}

#[cfg(test)]
mod tests {
    use super::super::transcode::assert_transcodes;
    use super::*;

    #[test]
    fn docs_example_and_a_null_guid() {
        assert_transcodes(
            &base64_encode_fromguid(),
            &[
                ("ae3133f2-6e22-49ae-b06a-16e6a9b212eb", "8jMxriJurkmwahbmqbIS6w=="),
                // The same GUID as `Guid.ToByteArray` lays out 00112233-4455-6677-8899-aabbccddeeff.
                ("00112233-4455-6677-8899-aabbccddeeff", "MyIRAFVEd2aImaq7zN3u/w=="),
                ("", ""),
            ],
        );
    }
}
