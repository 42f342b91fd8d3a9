//! Shared body of the one-string-in, one-string-out codecs (`base64_*_tostring`, `url_encode`,
//! `url_decode`): each row's text rewritten into a non-null string.

use datafusion::common::Result;
use datafusion::logical_expr::ColumnarValue;

use super::kernel::{Args, Param, Params, string_rows};

/// The parameters of a codec: the text to rewrite.
pub(super) const CODEC_INPUT: Params = Params::fixed(&[Param::Str]);

/// Writes `transcode(text)` for each row's text; `out` starts empty.
pub(super) fn transcode_rows(args: &Args, transcode: fn(&str, &mut String)) -> Result<ColumnarValue> {
    let text = args.str(0)?;
    string_rows(args, |row, out| {
        transcode(text.get(row), out);
        Ok(())
    })
}

/// Asserts `udf(input) == expected` for each `(input, expected)`.
#[cfg(test)]
pub(super) fn assert_transcodes(udf: &datafusion::logical_expr::ScalarUDF, cases: &[(&str, &str)]) {
    use super::kernel::testing::{call_scalars, s};

    for &(input, expected) in cases {
        assert_eq!(
            call_scalars(udf, vec![s(input)]),
            s(expected),
            "{}({input:?})",
            udf.name()
        );
    }
}
