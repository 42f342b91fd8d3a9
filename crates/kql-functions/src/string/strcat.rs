//! `strcat(s1, s2, ...)` and `strcat_delim(delimiter, s1, s2, ...)`. Non-string arguments are
//! converted with `kql_tostring` first.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, Expr, ScalarUDF};
use kql_types::KustoType;

use super::kernel::{Args, Param, Params, define, string_rows};
use crate::declare::*;
use crate::registry::ScalarCall;

/// `kql_strcat(s: Utf8, ...) -> Utf8` (one or more arguments).
pub fn strcat() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_strcat",
            Params::variadic(&[Param::Str], Param::Str),
            DataType::Utf8,
            |args| join(args, 0),
        )
    )
}

/// `kql_strcat_delim(delimiter: Utf8, s: Utf8, s: Utf8, ...) -> Utf8` (two or more strings).
pub fn strcat_delim() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::variadic(&[Param::Str, Param::Str, Param::Str], Param::Str);
        define("kql_strcat_delim", params, DataType::Utf8, |args| join(args, 1))
    })
}

pub(crate) static STRCAT: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("strcat", &[P::Any], R::Fixed(T::String)).variadic(),
    lower_strcat,
    &[strcat],
);

pub(crate) static STRCAT_DELIM: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("strcat_delim", &[P::Str, P::Any, P::Any], R::Fixed(T::String)).variadic(),
    lower_strcat_delim,
    &[strcat_delim],
);

fn lower_strcat(call: ScalarCall) -> Result<Expr> {
    Ok(strcat().call(texts(call)?))
}

fn lower_strcat_delim(call: ScalarCall) -> Result<Expr> {
    Ok(strcat_delim().call(texts(call)?))
}

/// Every argument as a string (`strcat(1, "a")` is "1a").
fn texts(call: ScalarCall) -> Result<Vec<Expr>> {
    call.args
        .into_iter()
        .zip(call.types)
        .map(|(value, ty)| crate::conversion::convert(value, ty, KustoType::String))
        .collect()
}

/// Concatenates arguments `first..`, separated by argument 0 when `first` is 1.
fn join(args: &Args, first: usize) -> Result<ColumnarValue> {
    let parts = (first..args.len())
        .map(|i| args.str(i))
        .collect::<Result<Vec<_>>>()?;
    let delimiter = if first == 1 { Some(args.str(0)?) } else { None };
    string_rows(args, |row, out| {
        for (index, part) in parts.iter().enumerate() {
            if let (Some(delimiter), true) = (&delimiter, index > 0) {
                out.push_str(delimiter.get(row));
            }
            out.push_str(part.get(row));
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // print banner=strcat("Hello", ", ", "World!") => "Hello, World!" (emulator case print-operator-01).
        assert_eq!(
            call_scalars(&strcat(), vec![s("Hello"), s(", "), s("World!")]),
            s("Hello, World!")
        );
        // strcat_delim('-', 1, '2', 'A', 1s) == "1-2-A-00:00:01" (after the planner's tostring).
        let args = vec![s("-"), s("1"), s("2"), s("A"), s("00:00:01")];
        assert_eq!(call_scalars(&strcat_delim(), args), s("1-2-A-00:00:01"));
    }
}
