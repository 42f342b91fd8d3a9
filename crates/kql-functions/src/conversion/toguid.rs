//! `toguid(s)`: a GUID in canonical lower-case `8-4-4-4-12` form from hyphenated, plain 32-digit,
//! braced or parenthesised text; null when the text is not a GUID.

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
    let text = text.trim();
    let inner = match (text.chars().next(), text.chars().last()) {
        (Some('{'), Some('}')) | (Some('('), Some(')')) => &text[1..text.len() - 1],
        _ => text,
    };
    let hex: String = match inner.len() {
        32 => inner.to_string(),
        36 if [8, 13, 18, 23].iter().all(|&i| inner.as_bytes()[i] == b'-') => inner.replace('-', ""),
        _ => return None,
    };
    if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let hex = hex.to_ascii_lowercase();
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
        // toguid("74be27de-1e4e-49d9-b579-fe0b331d3642") == guid(74be27de-1e4e-49d9-b579-fe0b331d3642);
        // toguid("e7b3d3ff...") plain 32 digits; toguid("0123456789abcdefg...") is null.
        let canonical = "74be27de-1e4e-49d9-b579-fe0b331d3642";
        assert_eq!(call_scalars(&toguid(), vec![s(canonical)]), s(canonical));
        assert_eq!(
            call_scalars(&toguid(), vec![s("74BE27DE1E4E49D9B579FE0B331D3642")]),
            s(canonical)
        );
        assert_eq!(
            call_scalars(&toguid(), vec![s("{74be27de-1e4e-49d9-b579-fe0b331d3642}")]),
            s(canonical)
        );
        assert_eq!(
            call_scalars(&toguid(), vec![s("0123456789abcdefghijklmnopqrstuv")]),
            ScalarValue::Utf8(None)
        );
    }
}
