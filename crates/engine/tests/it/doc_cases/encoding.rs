//! Encodings: Base64 of byte arrays and GUIDs, gzip and zlib in Base64, xxHash64, Punycode and
//! Unicode code points, from their pages in the Kusto reference. Where a page says "an empty
//! result", the case expects the empty string (a Kusto string is never null).

use super::{DocPage, refused, rows, typed, value};

pub const PAGES: &[DocPage] = &[
    DocPage {
        page: "base64-decode-toarray-function",
        functions: &["base64_decode_toarray"],
        cases: &[typed(
            r#"base64_decode_toarray("S3VzdG8=")"#,
            "[75, 117, 115, 116, 111]",
            "Object",
        )],
    },
    DocPage {
        page: "base64-encode-fromarray-function",
        functions: &["base64_encode_fromarray"],
        cases: &[
            rows(
                r#"let bytes_array = toscalar(print base64_decode_toarray("S3VzdG8="));
                   print decoded_base64_string = base64_encode_fromarray(bytes_array)"#,
                r#"[["S3VzdG8="]]"#,
            ),
            // "Trying to encode a base64 string from an invalid bytes array ... will return null",
            // printed (and answered by the emulator) as the empty string.
            rows(
                r#"let empty_bytes_array = toscalar(print base64_decode_toarray("U3RyaW5n0KHR0tGA0L7Rh9C60LA"));
                   print empty_string = base64_encode_fromarray(empty_bytes_array)"#,
                r#"[[""]]"#,
            ),
        ],
    },
    DocPage {
        page: "base64-encode-fromguid-function",
        functions: &["base64_encode_fromguid"],
        cases: &[
            typed(
                r#"base64_encode_fromguid(toguid("ae3133f2-6e22-49ae-b06a-16e6a9b212eb"))"#,
                r#""8jMxriJurkmwahbmqbIS6w==""#,
                "String",
            ),
            // "If you try to encode anything that isn't a GUID as below, an error will be thrown."
            refused(
                r#"print Empty = base64_encode_fromguid("abcd1231")"#,
                "base64_encode_fromguid",
            ),
        ],
    },
    DocPage {
        page: "gzip-base64-compress",
        functions: &["gzip_compress_to_base64_string"],
        cases: &[typed(
            r#"gzip_compress_to_base64_string("1234567890qwertyuiop")"#,
            r#""H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA==""#,
            "String",
        )],
    },
    DocPage {
        page: "gzip-base64-decompress",
        functions: &["gzip_decompress_from_base64_string"],
        cases: &[
            typed(
                r#"gzip_decompress_from_base64_string("H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA==")"#,
                r#""1234567890qwertyuiop""#,
                "String",
            ),
            // "Invalid gzip-compressed and base 64-encoded strings will return an empty output."
            value(r#"gzip_decompress_from_base64_string("x0x0x0")"#, r#""""#),
            // Valid Base64 whose header's ID1 is not 1f: "returns an empty output if any of these
            // fields have incorrect values".
            value(
                r#"gzip_decompress_from_base64_string(base64_encode_tostring("not gzip at all"))"#,
                r#""""#,
            ),
            // "The FLG byte is expected to be zero": the same stream with FLG = 1 (FTEXT).
            value(
                r#"gzip_decompress_from_base64_string("H4sIAQAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA==")"#,
                r#""""#,
            ),
            // A round trip.
            value(
                r#"gzip_decompress_from_base64_string(gzip_compress_to_base64_string("Tor relay 10.0.0.1"))"#,
                r#""Tor relay 10.0.0.1""#,
            ),
        ],
    },
    DocPage {
        page: "zlib-base64-compress-function",
        functions: &["zlib_compress_to_base64_string"],
        cases: &[typed(
            r#"zlib_compress_to_base64_string("1234567890qwertyuiop")"#,
            r#""eAEBFADr/zEyMzQ1Njc4OTBxd2VydHl1aW9wOAkGdw==""#,
            "String",
        )],
    },
    DocPage {
        page: "zlib-base64-decompress-function",
        functions: &["zlib_decompress_from_base64_string"],
        cases: &[
            typed(
                r#"zlib_decompress_from_base64_string("eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4=")"#,
                r#""Test string 123""#,
                "String",
            ),
            value(r#"zlib_decompress_from_base64_string("x0x0x0")"#, r#""""#),
            value(
                r#"zlib_decompress_from_base64_string(zlib_compress_to_base64_string("1234567890qwertyuiop"))"#,
                r#""1234567890qwertyuiop""#,
            ),
        ],
    },
    DocPage {
        page: "hash-xxhash64-function",
        functions: &["hash_xxhash64"],
        cases: &[
            typed(r#"hash_xxhash64("World")"#, "1846988464401551951", "Int64"),
            // "The output will be a value between 0 and mod - 1, inclusive."
            value(r#"hash_xxhash64("World", 100)"#, "51"),
            // Also for a negative hash (the empty string's is -1205034819632174695).
            value(r#"hash_xxhash64("")"#, "-1205034819632174695"),
            value(r#"hash_xxhash64("", 100) between (0 .. 99)"#, "true"),
            // A modulo of 0 or below has no range "between 0 and mod - 1": left open.
            refused(r#"print hash_xxhash64("World", 0)"#, "modulo"),
            value(r#"hash_xxhash64(datetime("2015-01-01"))"#, "1380966698541616202"),
        ],
    },
    DocPage {
        page: "punycode-domain-from-string-function",
        functions: &["punycode_domain_from_string"],
        cases: &[
            rows(
                r#"datatable(encoded:string)["xn--Ge-mia.Bulg.edu", "xn--Lin-8na.Celtchair.org", "xn--Ry-lja8c.xn--Jng-uta63a.xn--Bng-9ka.com"]
                   | extend domain=punycode_domain_from_string(encoded)"#,
                r#"[["xn--Ge-mia.Bulg.edu", "Gáe.Bulg.edu"], ["xn--Lin-8na.Celtchair.org", "Lúin.Celtchair.org"],
                    ["xn--Ry-lja8c.xn--Jng-uta63a.xn--Bng-9ka.com", "Rúyì.Jīngū.Bàng.com"]]"#,
            ),
            // "Returns an empty result if decoding failed": a label that is not Punycode.
            value(r#"punycode_domain_from_string("xn--ü.com")"#, r#""""#),
        ],
    },
    DocPage {
        page: "punycode-domain-to-string-function",
        functions: &["punycode_domain_to_string"],
        cases: &[rows(
            r#"datatable(domain:string)['Lê Lợi。Thuận Thiên。com', 'Riðill｡Skáldskaparmál｡org', "Kaledvoulc'h.Artorījos.edu"]
               | extend str=punycode_domain_to_string(domain)"#,
            r#"[["Lê Lợi。Thuận Thiên。com", "xn--L Li-gpa4517b.xn--Thun Thin-s4a7194f.com"],
                ["Riðill｡Skáldskaparmál｡org", "xn--Riill-jta.xn--Skldskaparml-dbbj.org"],
                ["Kaledvoulc'h.Artorījos.edu", "Kaledvoulc'h.xn--Artorjos-ejb.edu"]]"#,
        )],
    },
    DocPage {
        page: "punycode-to-string-function",
        functions: &["punycode_to_string"],
        cases: &[
            typed(
                "punycode_to_string('acadmie-franaise-npb1a')",
                r#""académie-française""#,
                "String",
            ),
            // "must contain only ASCII characters"; "returns an empty result if decoding failed".
            value("punycode_to_string('acadmie-française-npb1a')", r#""""#),
        ],
    },
    DocPage {
        page: "unicode-codepoints-to-string-function",
        functions: &["unicode_codepoints_to_string", "make_string"],
        cases: &[
            typed(
                "unicode_codepoints_to_string(75, 117, 115, 116, 111)",
                r#""Kusto""#,
                "String",
            ),
            value(
                "unicode_codepoints_to_string(dynamic([75, 117, 115, 116, 111]))",
                r#""Kusto""#,
            ),
            value(
                "unicode_codepoints_to_string(dynamic([75, 117, 115]), 116, 111)",
                r#""Kusto""#,
            ),
            value(
                "unicode_codepoints_to_string(75, 10, 117, 10, 115, 10, 116, 10, 111)",
                r#""K\nu\ns\nt\no""#,
            ),
            value(
                "unicode_codepoints_to_string(range(48,57), range(65,90), range(97,122))",
                r#""0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz""#,
            ),
            // "If any argument isn't a valid Unicode codepoint, the function returns null" (a null
            // string, which Kusto shows as the empty one): above U+10FFFF, negative, or a surrogate.
            value("unicode_codepoints_to_string(75, 1114112)", r#""""#),
            value("unicode_codepoints_to_string(75, -1)", r#""""#),
            value("unicode_codepoints_to_string(dynamic([55296]))", r#""""#),
            // "Deprecated aliases: make_string()".
            value("make_string(75, 117, 115, 116, 111)", r#""Kusto""#),
        ],
    },
];
