//! `substring(source, startingIndex [, length])` against its page: characters from the zero-based
//! `startingIndex` to the end, or `length` of them; "if a negative number, the substring will be
//! retrieved from the end of the source string" (`substring("123456", -2, 2)` is "56"). Characters
//! are Unicode characters, not bytes. A start past the end gives the empty string.

use proptest::prelude::*;
use serde_json::json;

use super::{Runner, config};

/// Text with multi-byte characters, quotes and backslashes.
fn source() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just('a'),
            Just('Z'),
            Just('é'),
            Just('€'),
            Just('😀'),
            Just('"'),
            Just('\\'),
            Just(' ')
        ],
        0..12,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// A KQL string literal of any text.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string")
}

/// The documented model, for `-length <= start` (a negative start within the text).
fn model(text: &str, start: i64, length: Option<i64>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let count = chars.len() as i64;
    let from = if start < 0 { count + start } else { start }.clamp(0, count) as usize;
    let take = length.map_or(usize::MAX, |n| n.max(0) as usize);
    chars[from..].iter().take(take).collect()
}

#[test]
fn the_documented_examples() {
    let runner = Runner::new();
    let rows = runner.rows(
        "print a = substring(\"123456\", 1), b = substring(\"123456\", 2, 2), c = substring(\"ABCD\", 0, 2), \
         d = substring(\"123456\", -2, 2)",
    );
    assert_eq!(rows, [[json!("23456"), json!("34"), json!("AB"), json!("56")]]);
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn substring_counts_characters_from_either_end(
        cases in prop::collection::vec((source(), -12_i64..16, prop::option::of(0_i64..16)), 1..40)
    ) {
        let runner = Runner::new();
        // The documented domain: a negative start no further back than the text is long.
        let cases: Vec<_> = cases
            .into_iter()
            .filter(|(text, start, _)| *start >= -(text.chars().count() as i64))
            .collect();
        prop_assume!(!cases.is_empty());
        let rows: Vec<String> = cases
            .iter()
            .map(|(text, start, length)| {
                format!("{}, {start}, {}", quoted(text), length.map_or("long(null)".to_string(), |n| n.to_string()))
            })
            .collect();
        let answer = runner.rows(&format!(
            "datatable(s: string, start: long, n: long)[{}] \
             | project whole = substring(s, start), part = iff(isnull(n), substring(s, start), substring(s, start, n))",
            rows.join(", ")
        ));
        for ((text, start, length), row) in cases.iter().zip(&answer) {
            prop_assert_eq!(&row[0], &json!(model(text, *start, None)), "substring({:?}, {})", text, start);
            prop_assert_eq!(&row[1], &json!(model(text, *start, *length)), "substring({:?}, {}, {:?})", text, start, length);
        }
    }
}
