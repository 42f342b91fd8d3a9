//! `url_encode(s)` / `url_decode(s)`: form-style URL encoding as .NET's `HttpUtility.UrlEncode` does
//! it, which Kusto uses: space becomes `+`, bytes outside `A-Za-z0-9-_.!*()` become lower-case `%xx`
//! (`url_encode("https://www.bing.com/")` is "https%3a%2f%2fwww.bing.com%2f").
//! `url_encode_component(s)` is the same but writes a space as `%20`, as a path or query component
//! needs.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use percent_encoding::percent_decode_str;

use super::kernel::define;
use super::transcode::{CODEC_INPUT, transcode_rows};
use crate::declare::*;

/// `kql_url_encode(s: Utf8) -> Utf8`.
pub fn url_encode() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_url_encode", CODEC_INPUT, DataType::Utf8, |args| {
            transcode_rows(args, |text, out| encode_with_space(text, "+", out))
        })
    )
}

pub(crate) static URL_ENCODE: KustoFunction = KustoFunction::scalar(
    Signature::scalar("url_encode", &[P::Str], R::Fixed(T::String)),
    url_encode,
);

/// `kql_url_encode_component(s: Utf8) -> Utf8`.
pub fn url_encode_component() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_url_encode_component", CODEC_INPUT, DataType::Utf8, |args| {
            transcode_rows(args, |text, out| encode_with_space(text, "%20", out))
        })
    )
}

pub(crate) static URL_ENCODE_COMPONENT: KustoFunction = KustoFunction::scalar(
    Signature::scalar("url_encode_component", &[P::Str], R::Fixed(T::String)),
    url_encode_component,
);

/// `kql_url_decode(s: Utf8) -> Utf8`; malformed escapes are kept as they are.
pub fn url_decode() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_url_decode", CODEC_INPUT, DataType::Utf8, |args| {
            transcode_rows(args, decode)
        })
    )
}

pub(crate) static URL_DECODE: KustoFunction = KustoFunction::scalar(
    Signature::scalar("url_decode", &[P::Str], R::Fixed(T::String)),
    url_decode,
);

fn encode_with_space(text: &str, space: &str, out: &mut String) {
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'!' | b'*' | b'(' | b')' => {
                out.push(byte as char)
            }
            b' ' => out.push_str(space),
            _ => out.push_str(&format!("%{byte:02x}")),
        }
    }
}

fn decode(text: &str, out: &mut String) {
    let plus_as_space = text.replace('+', " ");
    out.push_str(&percent_decode_str(&plus_as_space).decode_utf8_lossy());
}

#[cfg(test)]
mod tests {
    use super::super::transcode::assert_transcodes;
    use super::*;

    #[test]
    fn docs_examples() {
        // url_encode("https://www.bing.com/") == "https%3a%2f%2fwww.bing.com%2f";
        // url_decode("https%3a%2f%2fwww.bing.com%2f") == "https://www.bing.com/";
        // url_encode("You are here") in the geohash docs example gives "You+are+here".
        assert_transcodes(
            &url_encode(),
            &[
                ("https://www.bing.com/", "https%3a%2f%2fwww.bing.com%2f"),
                ("You are here", "You+are+here"),
            ],
        );
        // Emulator case url-encode-component-function-00.
        assert_transcodes(
            &url_encode_component(),
            &[(
                "https://www.bing.com/hello world/",
                "https%3a%2f%2fwww.bing.com%2fhello%20world%2f",
            )],
        );
        assert_transcodes(
            &url_decode(),
            &[
                ("https%3a%2f%2fwww.bing.com%2f", "https://www.bing.com/"),
                ("a+b%zz", "a b%zz"),
            ],
        );
    }
}
