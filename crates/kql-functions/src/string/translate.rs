//! `translate(searchList, replacementList, source)`: `source` with each character of `searchList`
//! replaced by the character at the same position of `replacementList`; when `replacementList` is
//! shorter, its last character replaces the rest, and when it is empty the characters are removed
//! (`translate("abc", "x", "abc")` is `xxx`, `translate("abc", "", "ab")` is ``,
//! `translate("krasp", "otsku", "spark")` is `kusto`). A character listed twice takes its first place.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{Param, Params, define, string_rows};
use crate::declare::*;

/// `kql_translate(search: Utf8, replacement: Utf8, source: Utf8) -> Utf8`.
pub fn translate() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_translate",
            Params::fixed(&[Param::Str, Param::Str, Param::Str]),
            DataType::Utf8,
            |args| {
                let (search, replacement, source) = (args.str(0)?, args.str(1)?, args.str(2)?);
                // Built once when both lists are constants, as they usually are.
                let constant = search
                    .scalar()
                    .zip(replacement.scalar())
                    .map(|(s, r)| mapping(s, r));
                let mut per_row = HashMap::new();
                string_rows(args, |row, out| {
                    let table = match &constant {
                        Some(table) => table,
                        None => {
                            per_row = mapping(search.get(row), replacement.get(row));
                            &per_row
                        }
                    };
                    for c in source.get(row).chars() {
                        match table.get(&c) {
                            Some(Some(to)) => out.push(*to),
                            Some(None) => {}
                            None => out.push(c),
                        }
                    }
                    Ok(())
                })
            },
        )
    )
}

pub(crate) static TRANSLATE: KustoFunction = KustoFunction::scalar(
    Signature::scalar("translate", &[P::Str, P::Str, P::Str], R::Fixed(T::String)),
    translate,
);

/// Each searched character's replacement (`None`: removed).
fn mapping(search: &str, replacement: &str) -> HashMap<char, Option<char>> {
    let replacement: Vec<char> = replacement.chars().collect();
    let mut table = HashMap::new();
    for (i, c) in search.chars().enumerate() {
        let to = replacement.get(i).or(replacement.last()).copied();
        table.entry(c).or_insert(to);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    fn translated(search: &str, replacement: &str, source: &str) -> datafusion::common::ScalarValue {
        call_scalars(&translate(), vec![s(search), s(replacement), s(source)])
    }

    #[test]
    fn docs_examples() {
        assert_eq!(translated("abc", "x", "abc"), s("xxx"));
        assert_eq!(translated("abc", "", "ab"), s(""));
        assert_eq!(translated("krasp", "otsku", "spark"), s("kusto"));
    }

    #[test]
    fn untouched_characters_longer_replacements_and_repeats() {
        assert_eq!(translated("a", "xyz", "banana"), s("bxnxnx"));
        assert_eq!(translated("aa", "xy", "a"), s("x"));
        assert_eq!(translated("", "x", "abc"), s("abc"));
        assert_eq!(translated("é", "e", "café"), s("cafe"));
    }
}
