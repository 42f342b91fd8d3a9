//! `punycode_from_string(s)` / `punycode_to_string(p)`: RFC 3492 Punycode of one label, without the
//! `xn--` prefix and with letter case kept. Both give "" when the conversion fails; decoding needs
//! ASCII input (docs).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::define;
use super::transcode::{CODEC_INPUT, transcode_rows};
use crate::declare::*;

/// `kql_punycode_from_string(s: Utf8) -> Utf8`.
pub fn punycode_from_string() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_punycode_from_string", CODEC_INPUT, DataType::Utf8, |args| {
            transcode_rows(args, |text, out| out.push_str(&encode(text).unwrap_or_default()))
        })
    )
}

pub(crate) static PUNYCODE_FROM_STRING: KustoFunction = KustoFunction::scalar(
    Signature::scalar("punycode_from_string", &[P::Str], R::Fixed(T::String)),
    punycode_from_string,
);

/// `kql_punycode_to_string(p: Utf8) -> Utf8`.
pub fn punycode_to_string() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_punycode_to_string", CODEC_INPUT, DataType::Utf8, |args| {
            transcode_rows(args, |text, out| out.push_str(&decode(text).unwrap_or_default()))
        })
    )
}

pub(crate) static PUNYCODE_TO_STRING: KustoFunction = KustoFunction::scalar(
    Signature::scalar("punycode_to_string", &[P::Str], R::Fixed(T::String)),
    punycode_to_string,
);

/// The Punycode of `text`, `None` when it cannot be encoded (an overflow on a huge input).
pub(super) fn encode(text: &str) -> Option<String> {
    idna::punycode::encode_str(text)
}

/// The text `punycode` encodes, `None` when it is not ASCII or not valid Punycode.
pub(super) fn decode(punycode: &str) -> Option<String> {
    punycode
        .is_ascii()
        .then(|| idna::punycode::decode_to_string(punycode))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::super::transcode::assert_transcodes;
    use super::*;

    #[test]
    fn docs_examples() {
        // punycode_from_string('académie-française') is 'acadmie-franaise-npb1a' and
        // punycode_to_string gives it back; '艺术' is 'cqv902d'.
        assert_transcodes(
            &punycode_from_string(),
            &[
                ("académie-française", "acadmie-franaise-npb1a"),
                ("艺术", "cqv902d"),
            ],
        );
        assert_transcodes(
            &punycode_to_string(),
            &[
                ("acadmie-franaise-npb1a", "académie-française"),
                ("cqv902d", "艺术"),
            ],
        );
    }

    #[test]
    fn rfc_3492_sample_and_failures() {
        // RFC 3492 section 7.1 (B): Chinese (simplified), "ihqwcrb4cv8a8dqg056pqjye".
        assert_transcodes(
            &punycode_from_string(),
            &[("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye")],
        );
        assert_transcodes(
            &punycode_to_string(),
            &[
                ("ihqwcrb4cv8a8dqg056pqjye", "他们为什么不说中文"),
                ("académie", ""),
                ("99999999999", ""),
            ],
        );
    }
}
