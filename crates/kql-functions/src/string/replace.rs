//! `replace_string(text, lookup, rewrite)` (every occurrence, case-sensitive) and
//! `replace_regex(source, regex, rewrite)` (every match; `\1` in the rewrite is group 1).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::{Expr, ScalarUDF};

use super::kernel::{Param, Params, Prepared, define, string_rows};
use super::regex::{compile, replacement};
use crate::declare::*;
use crate::registry::ScalarCall;

const PARAMS: Params = Params::fixed(&[Param::Str, Param::Str, Param::Str]);

/// `kql_replace_string(text: Utf8, lookup: Utf8, rewrite: Utf8) -> Utf8`.
pub fn replace_string() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_replace_string", PARAMS, DataType::Utf8, |args| {
            let (text, lookup, rewrite) = (args.str(0)?, args.str(1)?, args.str(2)?);
            string_rows(args, |row, out| {
                let (text, lookup) = (text.get(row), lookup.get(row));
                // An empty lookup matches nothing rather than between every character.
                if lookup.is_empty() {
                    out.push_str(text);
                } else {
                    out.push_str(&text.replace(lookup, rewrite.get(row)));
                }
                Ok(())
            })
        })
    )
}

pub(crate) static REPLACE_STRING: KustoFunction = KustoFunction::scalar(
    Signature::scalar("replace_string", &[P::Str, P::Str, P::Str], R::Fixed(T::String)),
    replace_string,
);

/// `kql_replace_regex(source: Utf8, regex: Utf8, rewrite: Utf8) -> Utf8`.
pub fn replace_regex() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_replace_regex", PARAMS, DataType::Utf8, |args| {
            let (source, pattern, rewrite) = (args.str(0)?, args.str(1)?, args.str(2)?);
            let (mut regex, mut template) = (Prepared::new(), Prepared::new());
            string_rows(args, |row, out| {
                let regex = regex.get(pattern.get(row), |p| compile(args.name(), p))?;
                let template = template.get(rewrite.get(row), |r| Ok(replacement(r)))?;
                out.push_str(&regex.replace_all(source.get(row), template.as_str()));
                Ok(())
            })
        })
    )
}

pub(crate) static REPLACE_REGEX: KustoFunction = KustoFunction::scalar(
    Signature::scalar("replace_regex", &[P::Str, P::Str, P::Str], R::Fixed(T::String)),
    replace_regex,
);

// The deprecated `replace(regex, rewrite, text)`: `replace_regex` with its arguments in another order.
pub(crate) static REPLACE: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("replace", &[P::Str, P::Str, P::Str], R::Fixed(T::String)),
    lower_replace,
    &[replace_regex],
);

fn lower_replace(call: ScalarCall) -> Result<Expr> {
    let [regex, rewrite, text]: [Expr; 3] = call
        .args
        .try_into()
        .map_err(|_| DataFusionError::Internal("replace takes 3 arguments".to_string()))?;
    Ok(replace_regex().call(vec![text, regex, rewrite]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // replace_string("A magic trick can turn a cat into a dog", "cat", "hamster")
        //   == "A magic trick can turn a hamster into a dog"
        let args = vec![
            s("A magic trick can turn a cat into a dog"),
            s("cat"),
            s("hamster"),
        ];
        assert_eq!(
            call_scalars(&replace_string(), args),
            s("A magic trick can turn a hamster into a dog")
        );
        // replace_regex("Activity 5 started", @"Activity (\d+)", @"Activity ID \1")... docs example
        // replaces "is (\d+) started" style matches with group references.
        let args = vec![s("Number is 1, next 2"), s(r"is (\d+)"), s(r"was \1")];
        assert_eq!(call_scalars(&replace_regex(), args), s("Number was 1, next 2"));
        let args = vec![s("abcabc"), s("b"), s("$x")];
        assert_eq!(call_scalars(&replace_regex(), args), s("a$xca$xc"));
    }
}
