//! String functions.

use kql_types::KustoType::{Bool, Dynamic, Long, String};

use super::Param::{Any, Integer, Num, Str, Text};
use super::ResultName::{FirstArgument, Prefixed};
use super::Returns::Fixed;
use super::Signature as S;

pub(super) const FUNCTIONS: &[S] = &[
    S::new("strlen", &[Str], Fixed(Long)).named(Prefixed("strlen")),
    S::new("string_size", &[Str], Fixed(Long)).named(Prefixed("string_size")),
    S::new("tolower", &[Str], Fixed(String)),
    S::new("toupper", &[Str], Fixed(String)),
    S::new("substring", &[Str, Integer, Integer], Fixed(String)).optional_from(2),
    S::new("strcat", &[Any], Fixed(String)).variadic(),
    S::new("strcat_delim", &[Str, Any, Any], Fixed(String)).variadic(),
    S::new("split", &[Str, Str, Integer], Fixed(Dynamic))
        .optional_from(2)
        .named(FirstArgument),
    S::new("replace_string", &[Str, Str, Str], Fixed(String)),
    S::new("replace_regex", &[Str, Str, Str], Fixed(String)),
    // The deprecated `replace(regex, rewrite, text)`: replace_regex with its arguments in another order.
    S::new("replace", &[Str, Str, Str], Fixed(String)),
    S::new("extract", &[Str, Integer, Str], Fixed(String)),
    S::new("extract_all", &[Str, Str], Fixed(Dynamic)),
    S::new("trim", &[Str, Str], Fixed(String)),
    S::new("trim_start", &[Str, Str], Fixed(String)),
    S::new("trim_end", &[Str, Str], Fixed(String)),
    S::new("indexof", &[Str, Str, Integer, Integer, Integer], Fixed(Long)).optional_from(2),
    S::new("countof", &[Str, Str, Str], Fixed(Long)).optional_from(2),
    S::new("reverse", &[Str], Fixed(String)),
    S::new("url_encode", &[Str], Fixed(String)),
    S::new("url_decode", &[Str], Fixed(String)),
    S::new("url_encode_component", &[Str], Fixed(String)),
    S::new("base64_encode_tostring", &[Str], Fixed(String)),
    S::new("base64_decode_tostring", &[Str], Fixed(String)),
    S::new("base64_decode_toarray", &[Str], Fixed(Dynamic)),
    S::new("gzip_compress_to_base64_string", &[Str], Fixed(String)),
    S::new("gzip_decompress_from_base64_string", &[Str], Fixed(String)),
    S::new("punycode_from_string", &[Str], Fixed(String)),
    S::new("punycode_to_string", &[Str], Fixed(String)),
    // Kusto's names: `_to_string` encodes a domain, `_from_string` decodes one.
    S::new("punycode_domain_to_string", &[Str], Fixed(String)),
    S::new("punycode_domain_from_string", &[Str], Fixed(String)),
    S::new("base64_encode_fromarray", &[super::Param::Dynamic], Fixed(String)),
    S::new("hash_sha256", &[Text], Fixed(String)),
    S::new("hash_md5", &[Text], Fixed(String)),
    S::new("hash_sha1", &[Text], Fixed(String)),
    S::new("parse_url", &[Str], Fixed(Dynamic)),
    S::new("parse_path", &[Str], Fixed(Dynamic)),
    S::new("format_bytes", &[Num, Integer, Str], Fixed(String)).optional_from(1),
    S::new("parse_csv", &[Str], Fixed(Dynamic)).named(FirstArgument),
    S::new("strrep", &[Text, Integer, Str], Fixed(String)).optional_from(2),
    S::new("isempty", &[Any], Fixed(Bool)),
    S::new("isnotempty", &[Any], Fixed(Bool)),
    S::new("isascii", &[Str], Fixed(Bool)),
    S::new("isnull", &[Any], Fixed(Bool)),
    S::new("isnotnull", &[Any], Fixed(Bool)),
    S::new("strcmp", &[Str, Str], Fixed(Long)),
    S::new("has_any_index", &[Str, super::Param::Dynamic], Fixed(Long)),
    S::new(
        "unicode_codepoints_to_string",
        &[super::Param::Dynamic],
        Fixed(String),
    )
    .variadic(),
];
