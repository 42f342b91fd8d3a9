//! Kusto string functions.

use crate::registry::{InternalFunction, KustoFunction};

mod base64;
mod base64_array;
mod base64_guid;
mod case;
mod countof;
mod extract;
mod extract_all;
mod format_bytes;
mod gzip;
mod hash;
mod hash_xxhash64;
mod indexof;
mod isascii;
pub(crate) mod isempty;
pub(crate) mod isnull;
pub(crate) mod kernel;
mod parse_command_line;
mod parse_csv;
mod parse_kv;
mod parse_path;
mod parse_url;
mod punycode;
mod punycode_domain;
pub(crate) mod regex;
mod replace;
mod reverse;
mod split;
mod strcat;
mod strcmp;
mod string_size;
mod strlen;
mod strrep;
mod substring;
mod transcode;
mod translate;
mod trim;
mod unicode_codepoints_from_string;
mod unicode_codepoints_to_string;
mod url_encoding;
mod zlib;

/// Operator steps the binder calls by name.
pub(crate) const INTERNAL: &[&InternalFunction] = &[&parse_kv::PARSE_KV];

/// The family's functions, each declared in its own file.
pub(crate) const FUNCTIONS: &[&KustoFunction] = &[
    &strlen::STRLEN,
    &string_size::STRING_SIZE,
    &hash_xxhash64::HASH,
    &hash_xxhash64::HASH_XXHASH64,
    &parse_command_line::PARSE_COMMAND_LINE,
    &strcmp::STRCMP,
    &translate::TRANSLATE,
    &unicode_codepoints_from_string::UNICODE_CODEPOINTS_FROM_STRING,
    &case::TOLOWER,
    &case::TOUPPER,
    &substring::SUBSTRING,
    &split::SPLIT,
    &replace::REPLACE_STRING,
    &replace::REPLACE_REGEX,
    &extract::EXTRACT,
    &extract_all::EXTRACT_ALL,
    &trim::TRIM,
    &trim::TRIM_START,
    &trim::TRIM_END,
    &indexof::INDEXOF,
    &countof::COUNTOF,
    &reverse::REVERSE,
    &url_encoding::URL_ENCODE,
    &url_encoding::URL_DECODE,
    &url_encoding::URL_ENCODE_COMPONENT,
    &unicode_codepoints_to_string::UNICODE_CODEPOINTS_TO_STRING,
    &base64::BASE64_ENCODE_TOSTRING,
    &base64::BASE64_DECODE_TOSTRING,
    &base64_guid::BASE64_ENCODE_FROMGUID,
    &base64_array::BASE64_DECODE_TOARRAY,
    &base64_array::BASE64_ENCODE_FROMARRAY,
    &gzip::GZIP_COMPRESS_TO_BASE64_STRING,
    &gzip::GZIP_DECOMPRESS_FROM_BASE64_STRING,
    &zlib::ZLIB_COMPRESS_TO_BASE64_STRING,
    &zlib::ZLIB_DECOMPRESS_FROM_BASE64_STRING,
    &punycode::PUNYCODE_FROM_STRING,
    &punycode::PUNYCODE_TO_STRING,
    &punycode_domain::PUNYCODE_DOMAIN_TO_STRING,
    &punycode_domain::PUNYCODE_DOMAIN_FROM_STRING,
    &hash::HASH_SHA256,
    &hash::HASH_MD5,
    &hash::HASH_SHA1,
    &parse_path::PARSE_PATH,
    &parse_url::PARSE_URL,
    &strrep::STRREP,
    &isascii::ISASCII,
    &parse_csv::PARSE_CSV,
    &format_bytes::FORMAT_BYTES,
    &isnull::ISNULL,
    &isnull::ISNOTNULL,
    &isempty::ISEMPTY,
    &isempty::ISNOTEMPTY,
    &strcat::STRCAT,
    &strcat::STRCAT_DELIM,
    &replace::REPLACE,
];
