//! `trim(regex, s)`, `trim_start(regex, s)`, `trim_end(regex, s)`: remove leading and/or trailing
//! matches of a regular expression (`trim("--", "--https://bing.com--")` is "https://bing.com").

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use regex::Regex;

use super::kernel::{Args, Param, Params, Prepared, define, string_rows};
use super::regex::compile;
use crate::declare::*;

const PARAMS: Params = Params::fixed(&[Param::Str, Param::Str]);

/// `kql_trim(regex: Utf8, s: Utf8) -> Utf8`.
pub fn trim() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_trim", PARAMS, DataType::Utf8, |args| eval(args, true, true))
    )
}

pub(crate) static TRIM: KustoFunction = KustoFunction::scalar(
    Signature::scalar("trim", &[P::Str, P::Str], R::Fixed(T::String)),
    trim,
);

/// `kql_trim_start(regex: Utf8, s: Utf8) -> Utf8`.
pub fn trim_start() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_trim_start", PARAMS, DataType::Utf8, |args| {
            eval(args, true, false)
        })
    )
}

pub(crate) static TRIM_START: KustoFunction = KustoFunction::scalar(
    Signature::scalar("trim_start", &[P::Str, P::Str], R::Fixed(T::String)),
    trim_start,
);

/// `kql_trim_end(regex: Utf8, s: Utf8) -> Utf8`.
pub fn trim_end() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_trim_end", PARAMS, DataType::Utf8, |args| {
            eval(args, false, true)
        })
    )
}

pub(crate) static TRIM_END: KustoFunction = KustoFunction::scalar(
    Signature::scalar("trim_end", &[P::Str, P::Str], R::Fixed(T::String)),
    trim_end,
);

/// The anchored patterns for one user pattern: repeated matches at the start, at the end.
struct Trimmer {
    start: Regex,
    end: Regex,
}

fn eval(args: &Args, start: bool, end: bool) -> Result<ColumnarValue> {
    let (pattern, text) = (args.str(0)?, args.str(1)?);
    let mut trimmer = Prepared::new();
    string_rows(args, |row, out| {
        let trimmer = trimmer.get(pattern.get(row), |p| {
            Ok(Trimmer {
                start: compile(args.name(), &format!("^(?:{p})+"))?,
                end: compile(args.name(), &format!("(?:{p})+$"))?,
            })
        })?;
        let mut text = text.get(row);
        if start && let Some(m) = trimmer.start.find(text) {
            text = &text[m.end()..];
        }
        if end && let Some(m) = trimmer.end.find(text) {
            text = &text[..m.start()];
        }
        out.push_str(text);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // Emulator cases trim-function-00/01/02 and trim-end-function-00/02.
        assert_eq!(
            call_scalars(&trim(), vec![s("--"), s("--https://bing.com--")]),
            s("https://bing.com")
        );
        assert_eq!(
            call_scalars(&trim(), vec![s(r"[^\w]+"), s("-  Te st1// $")]),
            s("Te st1")
        );
        assert_eq!(
            call_scalars(&trim(), vec![s(r"\s+"), s("    Hello, world!    ")]),
            s("Hello, world!")
        );
        assert_eq!(
            call_scalars(&trim_end(), vec![s(".com"), s("bing.com")]),
            s("bing")
        );
        let args = vec![s(r"\s+"), s("    Hello, world!    ")];
        assert_eq!(call_scalars(&trim_end(), args), s("    Hello, world!"));
        let args = vec![s(r"\s+"), s("    Hello, world!    ")];
        assert_eq!(call_scalars(&trim_start(), args), s("Hello, world!    "));
    }
}
