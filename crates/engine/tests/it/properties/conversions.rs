//! The `to*` conversions over the text formats their pages document: the text of a number, datetime,
//! timespan or guid converts back to the same value ("if the conversion is successful"), and text
//! that is not such a value gives null ("if it isn't, the result is null"), never a number.
//! `tobool` of a number is whether it is non-zero (`tobool(123) == true`); `toguid` "takes the first
//! 32 characters of the input, ignoring properly located hyphens ... The rest of the string is
//! ignored"; `totimespan` reads `[-][d.]hh:mm:ss[.fffffff]` with up to seven fraction digits
//! (`timespan(0.12:34:56.7)`).

use kql_types::time::{NANOS_PER_TICK, format_datetime, format_timespan};
use proptest::prelude::*;
use serde_json::{Value, json};

use super::{Runner, config};

fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string")
}

/// One query converting every text with `function`; its column per text.
fn convert(runner: &Runner, function: &str, texts: &[String]) -> Vec<Value> {
    let values: Vec<String> = texts.iter().map(|t| quoted(t)).collect();
    runner
        .rows(&format!(
            "datatable(s: string)[{}] | project {function}(s)",
            values.join(", ")
        ))
        .into_iter()
        .map(|mut row| row.remove(0))
        .collect()
}

/// Text that is no number, datetime, timespan, guid or bool in any format.
fn garbage() -> impl Strategy<Value = String> {
    "[g-z]{1,3}[!#%]{0,2}"
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn whole_number_text_converts_back(values in prop::collection::vec(any::<i64>(), 1..40)) {
        let runner = Runner::new();
        let texts: Vec<String> = values.iter().map(i64::to_string).collect();
        for (function, fits) in [("tolong", i64::MIN..=i64::MAX), ("toint", i64::from(i32::MIN)..=i64::from(i32::MAX))] {
            let texts: Vec<String> = values.iter().filter(|v| fits.contains(v)).map(i64::to_string).collect();
            if texts.is_empty() {
                continue;
            }
            for (text, answer) in texts.iter().zip(convert(&runner, function, &texts)) {
                prop_assert_eq!(answer.to_string(), text.clone(), "{}({:?})", function, text);
            }
        }
        for (text, answer) in texts.iter().zip(convert(&runner, "todouble", &texts)) {
            let value: i64 = text.parse().unwrap();
            prop_assert_eq!(answer.as_f64(), Some(value as f64), "todouble({:?})", text);
        }
    }

    #[test]
    fn real_text_converts_back(values in prop::collection::vec(any::<f64>().prop_filter("finite", |v| v.is_finite()), 1..40)) {
        let runner = Runner::new();
        // Rust's shortest round-trip text, with and without an exponent.
        let texts: Vec<String> = values.iter().flat_map(|v| [format!("{v:?}"), format!("{v:e}")]).collect();
        for (text, answer) in texts.iter().zip(convert(&runner, "todouble", &texts)) {
            let value: f64 = text.parse().unwrap();
            prop_assert_eq!(answer.as_f64(), Some(value), "todouble({:?})", text);
        }
        for (text, answer) in texts.iter().zip(convert(&runner, "toreal", &texts)) {
            prop_assert_eq!(answer.as_f64(), text.parse::<f64>().ok(), "toreal({:?})", text);
        }
    }

    #[test]
    fn datetime_and_timespan_text_converts_back(
        ticks in prop::collection::vec(-80_000_000_000_000_000_i64..80_000_000_000_000_000, 1..40)
    ) {
        let runner = Runner::new();
        let nanos: Vec<i64> = ticks.iter().map(|t| t * NANOS_PER_TICK).collect();
        // ISO 8601 as Kusto prints it, and with a space instead of the `T` and no zone.
        let iso: Vec<String> = nanos.iter().map(|n| format_datetime(*n)).collect();
        let spaced: Vec<String> = iso.iter().map(|t| t.replace('T', " ").trim_end_matches('Z').to_string()).collect();
        for texts in [&iso, &spaced] {
            for ((text, expected), answer) in texts.iter().zip(&iso).zip(convert(&runner, "todatetime", texts)) {
                prop_assert_eq!(answer, json!(expected), "todatetime({:?})", text);
            }
        }
        // `[-][d.]hh:mm:ss[.fffffff]`, as Kusto prints a timespan.
        let spans: Vec<String> = nanos.iter().map(|n| format_timespan(*n)).collect();
        for (text, answer) in spans.iter().zip(convert(&runner, "totimespan", &spans)) {
            prop_assert_eq!(answer, json!(text), "totimespan({:?})", text);
        }
    }

    #[test]
    fn guid_text_converts_back(values in prop::collection::vec(any::<u128>(), 1..40)) {
        let runner = Runner::new();
        let texts: Vec<String> = values
            .iter()
            .map(|v| {
                let hex = format!("{v:032x}");
                format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
            })
            .collect();
        let upper: Vec<String> = texts.iter().map(|t| t.to_uppercase()).collect();
        for given in [&texts, &upper] {
            for ((text, expected), answer) in given.iter().zip(&texts).zip(convert(&runner, "toguid", given)) {
                prop_assert_eq!(answer, json!(expected), "toguid({:?})", text);
            }
        }
    }

    #[test]
    fn text_of_no_value_converts_to_null(texts in prop::collection::vec(garbage(), 1..20)) {
        let runner = Runner::new();
        for function in ["toint", "tolong", "todouble", "toreal", "todatetime", "totimespan", "toguid", "tobool"] {
            for (text, answer) in texts.iter().zip(convert(&runner, function, &texts)) {
                prop_assert_eq!(answer, Value::Null, "{}({:?})", function, text);
            }
        }
    }

    #[test]
    fn bool_of_a_number_is_whether_it_is_nonzero(
        numbers in prop::collection::vec(prop_oneof![Just(0_i64), any::<i64>()], 1..40)
    ) {
        let runner = Runner::new();
        let values: Vec<String> = numbers.iter().map(i64::to_string).collect();
        let rows = runner.rows(&format!(
            "datatable(n: long)[{}] | project tobool(n), tobool(tostring(tobool(n))), tobool(tostring(n) == '0')",
            values.join(", ")
        ));
        for (n, row) in numbers.iter().zip(&rows) {
            prop_assert_eq!(&row[0], &json!(*n != 0), "tobool({})", n);
            // A bool's own text converts back.
            prop_assert_eq!(&row[1], &json!(*n != 0), "tobool(tostring(tobool({})))", n);
            prop_assert_eq!(&row[2], &json!(*n == 0));
        }
    }

    #[test]
    fn guid_text_reads_its_first_32_digits(
        cases in prop::collection::vec((any::<u128>(), any::<[bool; 4]>(), "[ -~]{0,6}", 1_usize..31), 1..40)
    ) {
        let runner = Runner::new();
        let mut texts = Vec::new();
        let mut expected = Vec::new();
        for (value, hyphens, rest, misplaced) in &cases {
            let hex = format!("{value:032x}");
            let canonical = format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]);
            // Any of the four hyphens, where the canonical form has them, then anything.
            let mut text = String::new();
            for (at, digit) in hex.chars().enumerate() {
                if let Some(index) = [8, 12, 16, 20].iter().position(|&h| h == at) && hyphens[index] {
                    text.push('-');
                }
                text.push(digit);
            }
            texts.push(format!("{text}{rest}"));
            expected.push(json!(canonical));
            // A hyphen anywhere else among the 32 digits is no guid.
            if ![8, 12, 16, 20].contains(misplaced) {
                texts.push(format!("{}-{}", &hex[..*misplaced], &hex[*misplaced..]));
                expected.push(Value::Null);
            }
        }
        for ((text, expected), answer) in texts.iter().zip(&expected).zip(convert(&runner, "toguid", &texts)) {
            prop_assert_eq!(&answer, expected, "toguid({:?})", text);
        }
    }

    #[test]
    fn timespan_text_reads_up_to_seven_fraction_digits(
        cases in prop::collection::vec((any::<bool>(), 0_i64..400, 0_i64..24, 0_i64..60, 0_i64..60, 0_usize..8, 0_i64..10_000_000), 1..40)
    ) {
        let runner = Runner::new();
        let mut texts = Vec::new();
        let mut expected = Vec::new();
        for (negative, days, hours, minutes, seconds, digits, fraction) in &cases {
            let fraction = fraction % 10_i64.pow(*digits as u32);
            let mut text = if *negative { "-".to_string() } else { String::new() };
            if *days > 0 {
                text.push_str(&format!("{days}."));
            }
            text.push_str(&format!("{hours:02}:{minutes:02}:{seconds:02}"));
            if *digits > 0 {
                text.push_str(&format!(".{fraction:0width$}", width = *digits));
            }
            let ticks = (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 10_000_000
                + fraction * 10_i64.pow(7 - *digits as u32);
            let nanos = ticks * NANOS_PER_TICK * if *negative { -1 } else { 1 };
            texts.push(text);
            expected.push(json!(format_timespan(nanos)));
        }
        for ((text, expected), answer) in texts.iter().zip(&expected).zip(convert(&runner, "totimespan", &texts)) {
            prop_assert_eq!(&answer, expected, "totimespan({:?})", text);
        }
    }
}
