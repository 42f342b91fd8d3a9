//! `toguid(s)`: a GUID in canonical lower-case `8-4-4-4-12` form, read as its page says: "takes the
//! first 32 characters of the input, ignoring properly located hyphens, validates that the characters
//! are between 0-9 or a-f ... The rest of the string is ignored"; null when the text is not a GUID.
//! A hyphen is properly located where the canonical form has one (after the 8th, 12th, 16th or 20th
//! digit): the page's own example "0123456789ab-cdef-0123-456789abcdef" lacks the first and converts.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_toguid(s: Utf8) -> Utf8 (guid)`.
pub fn toguid() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_toguid",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let text = args.str(0)?;
                optional_string_rows(args, |row| Ok(text.get_opt(row).and_then(canonical_guid)))
            },
        )
    )
}

pub(crate) static TOGUID: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("toguid", &[P::Any], R::Fixed(T::Guid)).named(N::FirstArgument),
    super::lower_conversion,
    super::CONVERSION_UDFS,
);

pub(crate) fn canonical_guid(text: &str) -> Option<String> {
    const HYPHENS_AFTER: [usize; 4] = [8, 12, 16, 20];
    let mut hex = String::with_capacity(32);
    let mut hyphen_allowed = false;
    for character in text.chars() {
        if hex.len() == 32 {
            break;
        }
        match character {
            '-' if hyphen_allowed => hyphen_allowed = false,
            // Digits of either case: the page names 0-9 and a-f, and Kusto prints guids in lower case.
            digit if digit.is_ascii_hexdigit() => {
                hex.push(digit.to_ascii_lowercase());
                hyphen_allowed = HYPHENS_AFTER.contains(&hex.len());
            }
            _ => return None,
        }
    }
    if hex.len() != 32 {
        return None;
    }
    Some(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        let canonical = "74be27de-1e4e-49d9-b579-fe0b331d3642";
        assert_eq!(call_scalars(&toguid(), vec![s(canonical)]), s(canonical));
        assert_eq!(
            call_scalars(&toguid(), vec![s("74BE27DE1E4E49D9B579FE0B331D3642")]),
            s(canonical)
        );
        // The page's examples: hyphens only where the canonical form has them, the rest ignored.
        let example = "01234567-89ab-cdef-0123-456789abcdef";
        for text in [
            "0123456789abcdef0123456789abcdef",
            "0123456789ab-cdef-0123-456789abcdef",
            "0123456789abcdef0123456789abcdef and more",
        ] {
            assert_eq!(call_scalars(&toguid(), vec![s(text)]), s(example), "{text}");
        }
        for not_a_guid in [
            "a string that is not a guid",
            "0123-456789abcdef0123456789abcdef",
            "{74be27de-1e4e-49d9-b579-fe0b331d3642}",
            "74be27de--1e4e-49d9-b579-fe0b331d3642",
        ] {
            assert_eq!(
                call_scalars(&toguid(), vec![s(not_a_guid)]),
                ScalarValue::Utf8(None),
                "{not_a_guid}"
            );
        }
        assert_eq!(
            call_scalars(&toguid(), vec![s("0123456789abcdefghijklmnopqrstuv")]),
            ScalarValue::Utf8(None)
        );
    }
}
