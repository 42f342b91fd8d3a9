//! `todecimal(x)`: numbers and bools convert with a cast to `Decimal128(38, 18)`; text through
//! `kql_todecimal` (`todecimal("123.45678") == decimal(123.45678)`, the docs' example). Plain decimal
//! text converts; text no number format could read (`"abc"`, `"12 apples"`) is null, as the docs say
//! of a conversion that fails. Text in other number formats (an exponent, thousands separators,
//! parentheses) and values beyond torhunt's decimal (20 digits before the point, 18 after) are
//! refused: the docs do not say which formats Kusto reads, and a rounded value would be a guess.

use std::sync::Arc;

use datafusion::arrow::array::Decimal128Array;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;
use kql_types::{DECIMAL_PRECISION, DECIMAL_SCALE, KustoType, decimal_units};

use crate::declare::*;
use crate::string::kernel::{Param, Params, define};

pub(crate) static TODECIMAL: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("todecimal", &[P::Any], R::Fixed(T::Decimal)).named(N::FirstArgument),
    super::lower_conversion,
    super::CONVERSION_UDFS,
);

/// `kql_todecimal(text: Utf8) -> Decimal128(38, 18)`.
pub fn from_text() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_todecimal",
            Params::fixed(&[Param::Str]),
            KustoType::Decimal.arrow_type(),
            |args| {
                let text = args.str(0)?;
                let values = (0..args.rows())
                    .map(|row| text.get_opt(row).map_or(Ok(None), parse))
                    .collect::<Result<Decimal128Array>>()?
                    .with_precision_and_scale(DECIMAL_PRECISION, DECIMAL_SCALE)?;
                args.finish(Arc::new(values))
            }
        )
    )
}

/// The decimal `text` holds, in units of 10^-18; `None` when no number format reads it.
fn parse(text: &str) -> Result<Option<i128>> {
    // .NET reads a leading plus sign in every number style.
    let unsigned = text.trim().strip_prefix('+').unwrap_or(text);
    if let Some(units) = decimal_units(unsigned) {
        return Ok(Some(units));
    }
    // What .NET's most lenient style (NumberStyles.Any) may accept: digits, signs, point and
    // thousands separator, exponent, parentheses, the invariant currency sign and white space.
    let maybe_number = |c: char| c.is_ascii_digit() || c.is_whitespace() || "+-.,eE()\u{a4}".contains(c);
    if !text.chars().any(|c| c.is_ascii_digit()) || !text.chars().all(maybe_number) {
        return Ok(None);
    }
    exec_err!(
        "not supported yet: todecimal of the text `{text}`: torhunt converts plain decimal text \
         (digits and a point, at most 20 digits before it and 18 after); the docs do not say which \
         other number formats Kusto reads"
    )
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call, call_scalars, s};

    fn decimal(units: Option<i128>) -> ScalarValue {
        ScalarValue::Decimal128(units, DECIMAL_PRECISION, DECIMAL_SCALE)
    }

    #[test]
    fn plain_text_converts_and_text_that_is_no_number_is_null() {
        // The docs' example: todecimal("123.45678") == decimal(123.45678).
        let units = 123_456_780_000_000_000_000;
        assert_eq!(
            call_scalars(&from_text(), vec![s("123.45678")]),
            decimal(Some(units))
        );
        assert_eq!(
            call_scalars(&from_text(), vec![s(" +123.45678 ")]),
            decimal(Some(units))
        );
        assert_eq!(
            call_scalars(&from_text(), vec![s("-0.5")]),
            decimal(Some(-500_000_000_000_000_000))
        );
        for text in ["abc", "12 apples", ""] {
            assert_eq!(call_scalars(&from_text(), vec![s(text)]), decimal(None), "{text}");
        }
    }

    #[test]
    fn other_number_formats_are_refused() {
        for text in [
            "1e3",
            "1,000",
            "(5)",
            "0.1234567890123456789",
            "123456789012345678901",
        ] {
            let args = vec![datafusion::logical_expr::ColumnarValue::Scalar(s(text))];
            assert!(call(&from_text(), args).is_err(), "{text}");
        }
    }
}
