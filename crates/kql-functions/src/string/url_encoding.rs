//! `url_encode(s)` / `url_decode(s)`: form-style URL encoding as .NET's `HttpUtility.UrlEncode` does
//! it, which Kusto uses: space becomes `+`, bytes outside `A-Za-z0-9-_.!*()` become lower-case `%xx`
//! (`url_encode("https://www.bing.com/")` is "https%3a%2f%2fwww.bing.com%2f").

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use percent_encoding::percent_decode_str;

use super::kernel::{Param, Params, define, string_rows};

/// `kql_url_encode(s: Utf8) -> Utf8`.
pub fn url_encode() -> Arc<ScalarUDF> {
    define(
        "kql_url_encode",
        Params::fixed(&[Param::Str]),
        DataType::Utf8,
        |args| {
            let text = args.str(0)?;
            string_rows(args, |row, out| {
                for byte in text.get(row).bytes() {
                    match byte {
                        b'A'..=b'Z'
                        | b'a'..=b'z'
                        | b'0'..=b'9'
                        | b'-'
                        | b'_'
                        | b'.'
                        | b'!'
                        | b'*'
                        | b'('
                        | b')' => out.push(byte as char),
                        b' ' => out.push('+'),
                        _ => out.push_str(&format!("%{byte:02x}")),
                    }
                }
                Ok(())
            })
        },
    )
}

/// `kql_url_decode(s: Utf8) -> Utf8`; malformed escapes are kept as they are.
pub fn url_decode() -> Arc<ScalarUDF> {
    define(
        "kql_url_decode",
        Params::fixed(&[Param::Str]),
        DataType::Utf8,
        |args| {
            let text = args.str(0)?;
            string_rows(args, |row, out| {
                let plus_as_space = text.get(row).replace('+', " ");
                out.push_str(&percent_decode_str(&plus_as_space).decode_utf8_lossy());
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
        // url_encode("https://www.bing.com/") == "https%3a%2f%2fwww.bing.com%2f";
        // url_decode("https%3a%2f%2fwww.bing.com%2f") == "https://www.bing.com/";
        // url_encode("You are here") in the geohash docs example gives "You+are+here".
        assert_eq!(
            call_scalars(&url_encode(), vec![s("https://www.bing.com/")]),
            s("https%3a%2f%2fwww.bing.com%2f")
        );
        assert_eq!(
            call_scalars(&url_decode(), vec![s("https%3a%2f%2fwww.bing.com%2f")]),
            s("https://www.bing.com/")
        );
        assert_eq!(
            call_scalars(&url_encode(), vec![s("You are here")]),
            s("You+are+here")
        );
        assert_eq!(call_scalars(&url_decode(), vec![s("a+b%zz")]), s("a b%zz"));
    }
}
