//! `base64_encode_fromguid(g)`: Base64 of a GUID's 16 bytes in .NET's order (the first three fields
//! little-endian, as `Guid.ToByteArray` gives them): the docs' example
//! `base64_encode_fromguid(toguid("ae3133f2-6e22-49ae-b06a-16e6a9b212eb"))` is
//! "8jMxriJurkmwahbmqbIS6w==". (`base64_decode_toguid` is refused: its docs example keeps the third
//! field in RFC order, contradicting this one.)

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{define, string_rows};
use super::transcode::CODEC_INPUT;
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
            |args| {
                let guids = args.str(0)?;
                string_rows(args, |row, out| encode(guids.get(row), out))
            },
        )
    )
}

pub(crate) static BASE64_ENCODE_FROMGUID: KustoFunction = KustoFunction::scalar(
    Signature::scalar("base64_encode_fromguid", &[P::Str], R::Fixed(T::String)),
    base64_encode_fromguid,
);

/// The GUID's bytes in .NET's order; a null guid (empty text here) gives "", as Kusto strings are
/// never null. Text that is no GUID fails, as the docs say encoding "anything that isn't a GUID"
/// does (torhunt takes a guid's text as a string, so such text can reach here).
fn encode(guid: &str, out: &mut String) -> Result<()> {
    if guid.is_empty() {
        return Ok(());
    }
    let value =
        canonical_guid(guid).and_then(|canonical| u128::from_str_radix(&canonical.replace('-', ""), 16).ok());
    let Some(value) = value else {
        return exec_err!("base64_encode_fromguid(): `{guid}` is not a guid");
    };
    let mut bytes = value.to_be_bytes();
    bytes[..4].reverse();
    bytes[4..6].reverse();
    bytes[6..8].reverse();
    STANDARD.encode_string(bytes, out);
    Ok(())
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

    #[test]
    fn text_that_is_no_guid_fails() {
        use datafusion::logical_expr::ColumnarValue;

        let args = vec![ColumnarValue::Scalar(crate::string::kernel::testing::s(
            "abcd1231",
        ))];
        assert!(crate::string::kernel::testing::call(&base64_encode_fromguid(), args).is_err());
    }
}
