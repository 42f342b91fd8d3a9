//! The `to*` conversions over the text formats their pages document: the text of a number, datetime,
//! timespan or guid converts back to the same value ("if the conversion is successful"), and text
//! that is not such a value gives null ("if it isn't, the result is null"), never a number.

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
}
