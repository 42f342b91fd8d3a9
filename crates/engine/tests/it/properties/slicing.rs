//! String slicing with negative and out-of-range indexes, across `substring`, `indexof` and
//! `extract`, against one model of the documented rules: indexes count Unicode characters from zero;
//! `indexof`'s "negative value will offset the starting search position from the end of the string
//! by abs(start)", finds -1 when the lookup is not in the examined range and null for a length below
//! -1 or a negative occurrence; `substring` from a start past the end is empty; `extract` group 0 is
//! the whole match and "if there's no match: null" (a null string, which reads as "").

use proptest::prelude::*;
use serde_json::json;

use super::{Runner, config};

/// Short texts over a small alphabet (so that lookups are often found), with multi-byte characters.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![Just('a'), Just('b'), Just('é'), Just('😀')], 0..10)
        .prop_map(|chars| chars.into_iter().collect())
}

fn lookup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![Just('a'), Just('b'), Just('é'), Just('😀')], 1..3)
        .prop_map(|chars| chars.into_iter().collect())
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string")
}

/// The model of `indexof(text, lookup, start, length)`, the first occurrence (characters).
fn indexof(text: &str, lookup: &str, start: i64, length: i64) -> Option<i64> {
    if length < -1 {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let needle: Vec<char> = lookup.chars().collect();
    let count = chars.len() as i64;
    let from = if start < 0 { (count + start).max(0) } else { start };
    let end = if length == -1 {
        count
    } else {
        (from + length).min(count)
    };
    if from > count {
        return Some(-1);
    }
    let found = (from..=end - needle.len() as i64)
        .find(|&at| chars[at as usize..at as usize + needle.len()] == needle[..]);
    Some(found.unwrap_or(-1))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn indexof_finds_what_substring_slices(
        cases in prop::collection::vec((text(), lookup(), -12_i64..12, -3_i64..12), 1..40)
    ) {
        let runner = Runner::new();
        let rows: Vec<String> = cases
            .iter()
            .map(|(text, lookup, start, length)| format!("{}, {}, {start}, {length}", quoted(text), quoted(lookup)))
            .collect();
        let answer = runner.rows(&format!(
            "datatable(s: string, m: string, start: long, n: long)[{}] \
             | extend i = indexof(s, m, start, n) \
             | project i, found = iff(i >= 0, substring(s, i, strlen(m)), ''), whole = indexof(s, m), \
                       from_end = indexof(s, m, start - strlen(s))",
            rows.join(", ")
        ));
        for ((text, lookup, start, length), row) in cases.iter().zip(&answer) {
            let count = text.chars().count() as i64;
            let call = format!("indexof({text:?}, {lookup:?}, {start}, {length})");
            prop_assert_eq!(&row[2], &json!(indexof(text, lookup, 0, -1)), "indexof({:?}, {:?})", text, lookup);
            // The page says how far back a negative start goes (abs(start) from the end), not what a
            // start further back than the text is long does.
            if *start < -count {
                continue;
            }
            let expected = indexof(text, lookup, *start, *length);
            prop_assert_eq!(&row[0], &json!(expected), "{}", call);
            if expected.is_some_and(|i| i >= 0) {
                // What indexof found, substring slices at the same character index.
                prop_assert_eq!(&row[1], &json!(lookup), "substring at {}", call);
            }
            // A start counted back from the end is the same position counted from the start.
            if (0..count).contains(start) {
                prop_assert_eq!(&row[3], &json!(indexof(text, lookup, *start, -1)), "indexof from the end, {}", call);
            }
        }
    }

    #[test]
    fn substring_past_either_end_keeps_to_the_text(
        cases in prop::collection::vec((text(), 0_i64..16, 0_i64..16), 1..40)
    ) {
        let runner = Runner::new();
        let rows: Vec<String> = cases
            .iter()
            .map(|(text, start, length)| format!("{}, {start}, {length}", quoted(text)))
            .collect();
        let answer = runner.rows(&format!(
            "datatable(s: string, start: long, n: long)[{}] \
             | project substring(s, start, n), substring(s, strlen(s) + start), substring(s, -strlen(s), n)",
            rows.join(", ")
        ));
        for ((text, start, length), row) in cases.iter().zip(&answer) {
            let chars: Vec<char> = text.chars().collect();
            let from = (*start as usize).min(chars.len());
            let slice: String = chars[from..].iter().take(*length as usize).collect();
            prop_assert_eq!(&row[0], &json!(slice), "substring({:?}, {}, {})", text, start, length);
            prop_assert_eq!(&row[1], &json!(""), "substring({:?}, past the end)", text);
            let head: String = chars.iter().take(*length as usize).collect();
            prop_assert_eq!(&row[2], &json!(head), "substring({:?}, -strlen, {})", text, length);
        }
    }

    #[test]
    fn extract_finds_what_indexof_finds(
        cases in prop::collection::vec((text(), lookup()), 1..40)
    ) {
        let runner = Runner::new();
        let rows: Vec<String> = cases
            .iter()
            .map(|(text, lookup)| format!("{}, {}", quoted(text), quoted(lookup)))
            .collect();
        // The lookups hold no regex metacharacters, so the pattern matches the lookup literally.
        let answer = runner.rows(&format!(
            "datatable(s: string, m: string)[{}] \
             | project extract(strcat('(', m, ')'), 1, s), extract(m, 0, s), \
                       strlen(extract(strcat('^(.*?)', m), 1, s)), indexof(s, m)",
            rows.join(", ")
        ));
        for ((text, lookup), row) in cases.iter().zip(&answer) {
            let at = indexof(text, lookup, 0, -1).unwrap_or(-1);
            let found = if at >= 0 { lookup.as_str() } else { "" };
            prop_assert_eq!(&row[0], &json!(found), "extract(({:?}), 1, {:?})", lookup, text);
            prop_assert_eq!(&row[1], &json!(found), "extract({:?}, 0, {:?})", lookup, text);
            // The text before the first match is as many characters long as indexof's index.
            if at >= 0 {
                prop_assert_eq!(&row[2], &json!(at), "characters before {:?} in {:?}", lookup, text);
            }
            prop_assert_eq!(&row[3], &json!(at));
        }
    }
}
