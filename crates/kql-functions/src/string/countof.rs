//! `countof(text, search[, kind])`: occurrences of `search`; "normal" (default) counts overlapping
//! plain matches, "regex" counts regex matches (`countof("aaa", "aa")` is 2, with "regex" 1).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::exec_err;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{Param, Params, Prepared, define, long_rows};
use super::regex::compile;
use crate::declare::*;

/// `kql_countof(text: Utf8, search: Utf8[, kind: Utf8 "normal" | "regex"]) -> Int64`.
pub fn countof() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::optional(&[Param::Str, Param::Str], &[Param::Str]);
        define("kql_countof", params, DataType::Int64, |args| {
            let (text, search) = (args.str(0)?, args.str(1)?);
            let kind = if args.has(2) { Some(args.str(2)?) } else { None };
            let mut regex = Prepared::new();
            long_rows(args, |row| {
                let (text, search) = (text.get(row), search.get(row));
                let count = match kind.as_ref().map_or("normal", |k| k.get(row)) {
                    "normal" => count_overlapping(text, search),
                    "regex" => regex
                        .get(search, |p| compile(args.name(), p))?
                        .find_iter(text)
                        .count(),
                    other => {
                        return exec_err!(
                            "{}: kind must be \"normal\" or \"regex\", not {other:?}",
                            args.name()
                        );
                    }
                };
                Ok(Some(count as i64))
            })
        })
    })
}

pub(crate) static COUNTOF: KustoFunction = KustoFunction::scalar(
    Signature::scalar("countof", &[P::Str, P::Str, P::Str], R::Fixed(T::Long)).optional_from(2),
    countof,
);

fn count_overlapping(text: &str, search: &str) -> usize {
    if search.is_empty() {
        return 0;
    }
    let finder = memchr::memmem::Finder::new(search);
    let mut count = 0;
    let mut from = 0;
    while let Some(position) = finder.find(&text.as_bytes()[from..]) {
        count += 1;
        // Step one character on, so that overlapping occurrences count.
        from += position + text[from + position..].chars().next().map_or(1, char::len_utf8);
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // countof("aaa", "a") 3; countof("aaaa", "aa") 3; countof("aaaa", "aa", "regex") 2;
        // countof("abc", "b") 1; countof("ababa", "ab", "normal") 2; countof("ababa", "aba") 2;
        // countof("ababa", "aba", "regex") 1
        let f = countof();
        let call = |args: Vec<_>| call_scalars(&f, args);
        assert_eq!(call(vec![s("aaa"), s("a")]), long(3));
        assert_eq!(call(vec![s("aaaa"), s("aa")]), long(3));
        assert_eq!(call(vec![s("aaaa"), s("aa"), s("regex")]), long(2));
        assert_eq!(call(vec![s("abc"), s("b")]), long(1));
        assert_eq!(call(vec![s("ababa"), s("ab"), s("normal")]), long(2));
        assert_eq!(call(vec![s("ababa"), s("aba")]), long(2));
        assert_eq!(call(vec![s("ababa"), s("aba"), s("regex")]), long(1));
    }
}
