//! Kusto string functions.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

mod base64;
mod base64_array;
mod case;
mod countof;
mod extract;
mod extract_all;
mod format_bytes;
mod gzip;
mod hash;
mod indexof;
mod isascii;
mod isempty;
pub(crate) mod kernel;
mod parse_csv;
mod parse_path;
mod parse_url;
mod punycode;
mod punycode_domain;
pub(crate) mod regex;
mod replace;
mod reverse;
mod split;
mod strcat;
mod strlen;
mod strrep;
mod substring;
mod transcode;
mod trim;
mod unicode_codepoints_to_string;
mod url_encoding;

pub fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![
        strlen::strlen(),
        case::tolower(),
        case::toupper(),
        substring::substring(),
        strcat::strcat(),
        strcat::strcat_delim(),
        split::split(),
        replace::replace_string(),
        replace::replace_regex(),
        extract::extract(),
        extract_all::extract_all(),
        trim::trim(),
        trim::trim_start(),
        trim::trim_end(),
        indexof::indexof(),
        countof::countof(),
        reverse::reverse(),
        url_encoding::url_encode(),
        url_encoding::url_decode(),
        url_encoding::url_encode_component(),
        unicode_codepoints_to_string::unicode_codepoints_to_string(),
        base64::base64_encode_tostring(),
        base64::base64_decode_tostring(),
        base64_array::base64_decode_toarray(),
        base64_array::base64_encode_fromarray(),
        gzip::gzip_compress_to_base64_string(),
        gzip::gzip_decompress_from_base64_string(),
        punycode::punycode_from_string(),
        punycode::punycode_to_string(),
        punycode_domain::punycode_domain_to_string(),
        punycode_domain::punycode_domain_from_string(),
        hash::hash_sha256(),
        hash::hash_md5(),
        hash::hash_sha1(),
        parse_path::parse_path(),
        parse_url::parse_url(),
        strrep::strrep(),
        isempty::isempty(),
        isempty::isnotempty(),
        isascii::isascii(),
        parse_csv::parse_csv(),
        format_bytes::format_bytes(),
    ]
}
