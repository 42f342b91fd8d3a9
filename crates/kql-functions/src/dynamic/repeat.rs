//! `repeat(value, count)`: a dynamic array holding `value` `count` times (`repeat(1, 3)` is
//! `[1,1,1]`); a count of zero gives `[]`, a negative or null count gives null. Counts above 2^20
//! (the most `range` returns) stop the query instead of filling memory.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::exec_err;
use datafusion::logical_expr::ScalarUDF;

use super::json;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// The most elements one array may get.
const MAX_COUNT: i64 = 1 << 20;

/// `kql_repeat(value: Utf8 (dynamic), count: Int64) -> Utf8 (dynamic)`.
pub fn repeat() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_repeat",
            Params::fixed(&[Param::Str, Param::Long]),
            DataType::Utf8,
            |args| {
                let values = args.str(0)?;
                let counts = args.long(1)?;
                optional_string_rows(args, |row| {
                    let Some(count) = counts.get(row).filter(|count| *count >= 0) else {
                        return Ok(None);
                    };
                    if count > MAX_COUNT {
                        return exec_err!(
                            "repeat: a count of {count} is more than the {MAX_COUNT} elements allowed"
                        );
                    }
                    let element = values.get_opt(row).unwrap_or("null");
                    // Valid JSON text repeated between commas is the array's JSON text.
                    let element = json::to_text(&json::parse(element));
                    let mut text = String::with_capacity(2 + (element.len() + 1) * count as usize);
                    text.push('[');
                    for i in 0..count {
                        if i > 0 {
                            text.push(',');
                        }
                        text.push_str(&element);
                    }
                    text.push(']');
                    Ok(Some(text))
                })
            },
        )
    )
}

pub(crate) static REPEAT: KustoFunction = KustoFunction::scalar(
    Signature::scalar("repeat", &[P::Dynamic, P::Integer], R::Fixed(T::Dynamic)).named(N::Prefixed("repeat")),
    repeat,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call, call_scalars, long, s};

    fn repeated(value: &str, count: Option<i64>) -> ScalarValue {
        call_scalars(&repeat(), vec![s(value), ScalarValue::Int64(count)])
    }

    #[test]
    fn docs_example_and_counts() {
        // repeat-function: repeat(1, 3) is [1, 1, 1]; zero gives an empty array, below zero null.
        assert_eq!(repeated("1", Some(3)), s("[1,1,1]"));
        assert_eq!(repeated(r#""a""#, Some(2)), s(r#"["a","a"]"#));
        assert_eq!(repeated("true", Some(0)), s("[]"));
        assert_eq!(repeated("1", Some(-1)), ScalarValue::Utf8(None));
        assert_eq!(repeated("1", None), ScalarValue::Utf8(None));
        assert_eq!(
            call_scalars(&repeat(), vec![ScalarValue::Utf8(None), long(2)]),
            s("[null,null]")
        );
    }

    #[test]
    fn a_huge_count_is_an_error_not_an_allocation() {
        let error = call(
            &repeat(),
            vec![
                datafusion::logical_expr::ColumnarValue::Scalar(s("1")),
                datafusion::logical_expr::ColumnarValue::Scalar(long(i64::MAX)),
            ],
        )
        .unwrap_err();
        assert!(error.to_string().contains("repeat"), "{error}");
    }
}
