//! `strcmp(string1, string2)`: -1, 0 or 1 as `string1` sorts before, with or after `string2`,
//! character by character (ordinal: `strcmp("abc", "ABC")` is 1). Characters compare as .NET's UTF-16
//! code units, so characters beyond U+FFFF sort as Kusto sorts them.

use std::cmp::Ordering;
use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{Param, Params, define, long_rows};
use crate::declare::*;

/// `kql_strcmp(string1: Utf8, string2: Utf8) -> Int64`.
pub fn strcmp() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_strcmp",
            Params::fixed(&[Param::Str, Param::Str]),
            DataType::Int64,
            |args| {
                let (left, right) = (args.str(0)?, args.str(1)?);
                long_rows(args, |row| {
                    let order = left.get(row).encode_utf16().cmp(right.get(row).encode_utf16());
                    Ok(Some(match order {
                        Ordering::Less => -1,
                        Ordering::Equal => 0,
                        Ordering::Greater => 1,
                    }))
                })
            },
        )
    )
}

pub(crate) static STRCMP: KustoFunction = KustoFunction::scalar(
    Signature::scalar("strcmp", &[P::Str, P::Str], R::Fixed(T::Long)),
    strcmp,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // strcmp-function: ABC/ABC 0, abc/ABC 1, ABC/abc -1, abcde/abc 1.
        for (left, right, expected) in [
            ("ABC", "ABC", 0),
            ("abc", "ABC", 1),
            ("ABC", "abc", -1),
            ("abcde", "abc", 1),
        ] {
            assert_eq!(
                call_scalars(&strcmp(), vec![s(left), s(right)]),
                long(expected),
                "{left} {right}"
            );
        }
        // UTF-16 order: U+FF5E (one code unit) sorts after U+1F600 (a surrogate pair, 0xD83D...).
        assert_eq!(call_scalars(&strcmp(), vec![s("～"), s("😀")]), long(1));
        assert_eq!(call_scalars(&strcmp(), vec![s(""), s("a")]), long(-1));
    }
}
