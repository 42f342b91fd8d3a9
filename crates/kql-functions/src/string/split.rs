//! `split(s, delimiter[, index])` -> dynamic array of strings (`split("aaa_bbb_ccc", "_")` is
//! `["aaa","bbb","ccc"]`; with an index, an array of that one part, or `[]` when out of range).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::kernel::{Param, Params, define, optional_string_rows};
use crate::declare::*;

/// `kql_split(s: Utf8, delimiter: Utf8[, index: Int64]) -> Utf8 (dynamic)`.
pub fn split() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::optional(&[Param::Str, Param::Str], &[Param::Long]);
        define("kql_split", params, DataType::Utf8, |args| {
            let (text, delimiter) = (args.str(0)?, args.str(1)?);
            let index = if args.has(2) { Some(args.long(2)?) } else { None };
            optional_string_rows(args, |row| {
                let (text, delimiter) = (text.get(row), delimiter.get(row));
                let parts: Vec<&str> = if delimiter.is_empty() {
                    vec![text]
                } else {
                    text.split(delimiter).collect()
                };
                let parts = match &index {
                    None => parts,
                    Some(index) => match index.get(row) {
                        Some(i) if i >= 0 => parts.get(i as usize).map(|p| vec![*p]).unwrap_or_default(),
                        _ => return Ok(None),
                    },
                };
                Ok(Some(Value::from(parts).to_string()))
            })
        })
    })
}

pub(crate) static SPLIT: KustoFunction = KustoFunction::scalar(
    Signature::scalar("split", &[P::Str, P::Str, P::Integer], R::Fixed(T::Dynamic))
        .optional_from(2)
        .named(N::FirstArgument),
    split,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // split("aa_bb", "_") // ["aa","bb"]; split("aaa_bbb_ccc", "_", 1) // ["bbb"];
        // split("", "_") // [""]; split("a__b", "_") // ["a","","b"]
        assert_eq!(
            call_scalars(&split(), vec![s("aa_bb"), s("_")]),
            s(r#"["aa","bb"]"#)
        );
        assert_eq!(
            call_scalars(&split(), vec![s("aaa_bbb_ccc"), s("_"), long(1)]),
            s(r#"["bbb"]"#)
        );
        assert_eq!(call_scalars(&split(), vec![s(""), s("_")]), s(r#"[""]"#));
        assert_eq!(
            call_scalars(&split(), vec![s("a__b"), s("_")]),
            s(r#"["a","","b"]"#)
        );
        assert_eq!(call_scalars(&split(), vec![s("a_b"), s("_"), long(5)]), s("[]"));
    }
}
