//! `punycode_domain_to_string(domain)` encodes an internationalized domain name (each non-ASCII label
//! becomes `xn--` and its Punycode); `punycode_domain_from_string(encoded)` decodes one. The names are
//! Kusto's, swapped as they look. Labels keep their letter case and characters (no IDNA mapping): the
//! docs' `Lê Lợi。Thuận Thiên。com` encodes to `xn--L Li-gpa4517b.xn--Thun Thin-s4a7194f.com`. Both
//! give "" when a label fails.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::define;
use super::punycode::{decode, encode};
use super::transcode::{CODEC_INPUT, transcode_rows};
use crate::declare::*;

/// The ACE prefix of an encoded label.
const ACE_PREFIX: &str = "xn--";

/// The full stop and the ideographic and fullwidth ones, all label separators in IDNA (RFC 3490).
fn is_label_separator(c: char) -> bool {
    matches!(c, '.' | '\u{3002}' | '\u{FF0E}' | '\u{FF61}')
}

/// `kql_punycode_domain_to_string(domain: Utf8) -> Utf8`: encodes.
pub fn punycode_domain_to_string() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_punycode_domain_to_string",
            CODEC_INPUT,
            DataType::Utf8,
            |args| {
                transcode_rows(args, |domain, out| {
                    let encoded = map_labels(domain, |label| match label.is_ascii() {
                        true => Some(label.to_string()),
                        false => encode(label).map(|punycode| format!("{ACE_PREFIX}{punycode}")),
                    });
                    out.push_str(&encoded.unwrap_or_default());
                })
            },
        )
    )
}

pub(crate) static PUNYCODE_DOMAIN_TO_STRING: KustoFunction = KustoFunction::scalar(
    // Kusto's names: `_to_string` encodes a domain, `_from_string` decodes one.
    Signature::scalar("punycode_domain_to_string", &[P::Str], R::Fixed(T::String)),
    punycode_domain_to_string,
);

/// `kql_punycode_domain_from_string(encoded: Utf8) -> Utf8`: decodes.
pub fn punycode_domain_from_string() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_punycode_domain_from_string",
            CODEC_INPUT,
            DataType::Utf8,
            |args| {
                transcode_rows(args, |encoded, out| {
                    let decoded = map_labels(encoded, |label| match ace_payload(label) {
                        Some(punycode) => decode(punycode),
                        None => Some(label.to_string()),
                    });
                    out.push_str(&decoded.unwrap_or_default());
                })
            },
        )
    )
}

pub(crate) static PUNYCODE_DOMAIN_FROM_STRING: KustoFunction = KustoFunction::scalar(
    Signature::scalar("punycode_domain_from_string", &[P::Str], R::Fixed(T::String)),
    punycode_domain_from_string,
);

/// The Punycode after a (case-insensitive) `xn--` prefix.
fn ace_payload(label: &str) -> Option<&str> {
    let prefix = label.get(..ACE_PREFIX.len())?;
    prefix
        .eq_ignore_ascii_case(ACE_PREFIX)
        .then(|| &label[ACE_PREFIX.len()..])
}

/// Rewrites every label with `convert` and joins them with '.'; `None` when a label fails.
fn map_labels(domain: &str, convert: impl Fn(&str) -> Option<String>) -> Option<String> {
    let labels = domain
        .split(is_label_separator)
        .map(convert)
        .collect::<Option<Vec<_>>>()?;
    Some(labels.join("."))
}

#[cfg(test)]
mod tests {
    use super::super::transcode::assert_transcodes;
    use super::*;

    #[test]
    fn docs_examples() {
        assert_transcodes(
            &punycode_domain_to_string(),
            &[
                (
                    "Lê Lợi。Thuận Thiên。com",
                    "xn--L Li-gpa4517b.xn--Thun Thin-s4a7194f.com",
                ),
                (
                    "Riðill｡Skáldskaparmál｡org",
                    "xn--Riill-jta.xn--Skldskaparml-dbbj.org",
                ),
                ("Kaledvoulc'h.Artorījos.edu", "Kaledvoulc'h.xn--Artorjos-ejb.edu"),
            ],
        );
        assert_transcodes(
            &punycode_domain_from_string(),
            &[
                ("xn--Ge-mia.Bulg.edu", "Gáe.Bulg.edu"),
                ("xn--Lin-8na.Celtchair.org", "Lúin.Celtchair.org"),
                (
                    "xn--Ry-lja8c.xn--Jng-uta63a.xn--Bng-9ka.com",
                    "Rúyì.Jīngū.Bàng.com",
                ),
            ],
        );
    }

    #[test]
    fn a_label_that_fails_to_decode_empties_the_result() {
        assert_transcodes(
            &punycode_domain_from_string(),
            &[
                ("xn--99999999999.com", ""),
                ("XN--cqv902d.com", "艺术.com"),
                ("", ""),
            ],
        );
    }
}
