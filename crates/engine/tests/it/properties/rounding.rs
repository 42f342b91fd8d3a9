//! `bin()` and its alias `floor()` against the documented model: "rounds values down to a multiple of
//! a given bin size" (toward negative infinity: `bin(-7, 5)` is -10), datetimes measured from Kusto's
//! tick origin 0001-01-01 (so `bin(d, 7d)` weeks start on Mondays), timespans from zero; "a negative
//! bin size will result in null". `ceiling()` is the smallest whole number not below its argument.
//! `bin_at(value, size, fixed_point)` bins so that `fixed_point` starts a bin ("the nearest multiple of
//! bin_size below the given value that aligns to the specified fixed_point"), on either side of it.
//! `round(x, digits)` is the nearest multiple of 10^-digits; its page does not say which way a
//! midpoint goes (`round(2.5)`), so the model leaves midpoints out and checks that negative numbers
//! round as the mirror image of positive ones.

use kql_types::time::{NANOS_PER_DAY, NANOS_PER_TICK, format_datetime, format_timespan};
use proptest::prelude::*;
use serde_json::{Value, json};

use super::{Runner, config, real_literal};

/// `round(thousandths / 1000, digits)` in thousandths, for values that are no midpoint at `digits`
/// (`None` for a midpoint, which the page leaves open).
fn round_thousandths(thousandths: i64, digits: i32) -> Option<i64> {
    let unit = 10_i64.pow(u32::try_from(3 - digits).ok()?);
    let remainder = thousandths.rem_euclid(unit);
    match (2 * remainder).cmp(&unit) {
        std::cmp::Ordering::Less => Some(thousandths - remainder),
        std::cmp::Ordering::Greater => Some(thousandths - remainder + unit),
        std::cmp::Ordering::Equal => None,
    }
}

/// `floor(value / size) * size`, in 128 bits.
fn floor_to(value: i128, size: i128) -> i128 {
    value.div_euclid(size) * size
}

/// Nanoseconds from 0001-01-01 to 1970-01-01 (719,162 days).
const YEAR_ONE: i128 = -719_162 * NANOS_PER_DAY as i128;

/// Datetimes from 1717 to 2223 (torhunt keeps nanoseconds in 64 bits) in whole ticks, as Unix
/// nanoseconds.
fn datetime() -> impl Strategy<Value = i64> {
    const SPAN: i64 = 8_000_000_000_000_000_000 / NANOS_PER_TICK;
    (-SPAN..SPAN).prop_map(|ticks| ticks * NANOS_PER_TICK)
}

/// Bin sizes in whole ticks: a few seconds up to a few weeks, weeks and days often.
fn bin_size() -> impl Strategy<Value = i64> {
    prop_oneof![
        (1_i64..5).prop_map(|weeks| weeks * 7 * NANOS_PER_DAY),
        (1_i64..40).prop_map(|days| days * NANOS_PER_DAY),
        (1_i64..3_000_000_000_000).prop_map(|ticks| ticks * NANOS_PER_TICK),
    ]
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

#[test]
fn the_documented_examples() {
    let runner = Runner::new();
    let rows = runner.rows(
        "print a = bin(4.5, 1), b = bin(time(16d), 7d), c = bin(datetime(1970-05-11 13:45:07), 1d), \
         d = floor(-7, 5), e = bin(-4.5, 1), f = bin(7, -5), g = bin(datetime(2017-05-17), 7d)",
    );
    assert_eq!(
        rows,
        [[
            json!(4.0),
            json!("14.00:00:00"),
            json!("1970-05-11T00:00:00Z"),
            json!(-10),
            json!(-5.0),
            Value::Null,
            // 2017-05-15 was a Monday.
            json!("2017-05-15T00:00:00Z"),
        ]]
    );
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn whole_numbers_bin_toward_negative_infinity(
        pairs in prop::collection::vec((-1_000_000_000_000_i64..1_000_000_000_000, 1_i64..10_000), 1..40)
    ) {
        let runner = Runner::new();
        let values: Vec<String> = pairs.iter().map(|(v, s)| format!("{v}, {s}")).collect();
        let rows = runner.rows(&format!(
            "datatable(v: long, s: long)[{}] | project bin(v, s), floor(v, s), bin(v, -s)",
            values.join(", ")
        ));
        for ((v, s), row) in pairs.iter().zip(&rows) {
            let expected = json!(floor_to(i128::from(*v), i128::from(*s)) as i64);
            prop_assert_eq!(&row[0], &expected, "bin({}, {})", v, s);
            prop_assert_eq!(&row[1], &expected, "floor({}, {})", v, s);
            prop_assert_eq!(&row[2], &Value::Null, "bin({}, -{})", v, s);
        }
    }

    #[test]
    fn reals_bin_and_ceil_toward_their_side(
        pairs in prop::collection::vec((
            (-16_000_000_i64..16_000_000).prop_map(|n| n as f64 / 16.0),
            (1_i64..64).prop_map(|n| n as f64 / 4.0),
        ), 1..40)
    ) {
        let runner = Runner::new();
        let values: Vec<String> = pairs
            .iter()
            .map(|(v, s)| format!("{}, {}", real_literal(*v), real_literal(*s)))
            .collect();
        let rows = runner.rows(&format!(
            "datatable(v: real, s: real)[{}] | project bin(v, s), ceiling(v)",
            values.join(", ")
        ));
        for ((v, s), row) in pairs.iter().zip(&rows) {
            prop_assert_eq!(row[0].as_f64(), Some((v / s).floor() * s), "bin({}, {})", v, s);
            prop_assert_eq!(row[1].as_f64(), Some(v.ceil()), "ceiling({})", v);
        }
    }

    #[test]
    fn datetimes_bin_from_year_one(
        pairs in prop::collection::vec((datetime(), bin_size()), 1..40)
    ) {
        let runner = Runner::new();
        let values: Vec<String> = pairs
            .iter()
            .map(|(d, s)| format!("datetime({}), timespan({})", format_datetime(*d), format_timespan(*s)))
            .collect();
        let rows = runner.rows(&format!(
            "datatable(d: datetime, s: timespan)[{}] | project bin(d, s), floor(d, s)",
            values.join(", ")
        ));
        for ((d, s), row) in pairs.iter().zip(&rows) {
            let binned = floor_to(i128::from(*d) - YEAR_ONE, i128::from(*s)) + YEAR_ONE;
            let expected = format_datetime(binned as i64);
            prop_assert_eq!(text(&row[0]), expected.as_str(), "bin({}, {})", format_datetime(*d), format_timespan(*s));
            prop_assert_eq!(text(&row[1]), expected.as_str());
        }
    }

    #[test]
    fn timespans_bin_from_zero(
        pairs in prop::collection::vec(((-100_000_000_000_000_i64..100_000_000_000_000).prop_map(|t| t * NANOS_PER_TICK), bin_size()), 1..40)
    ) {
        let runner = Runner::new();
        let values: Vec<String> = pairs
            .iter()
            .map(|(t, s)| format!("timespan({}), timespan({})", format_timespan(*t), format_timespan(*s)))
            .collect();
        let rows = runner.rows(&format!(
            "datatable(t: timespan, s: timespan)[{}] | project bin(t, s)",
            values.join(", ")
        ));
        for ((t, s), row) in pairs.iter().zip(&rows) {
            let expected = format_timespan(floor_to(i128::from(*t), i128::from(*s)) as i64);
            prop_assert_eq!(text(&row[0]), expected.as_str(), "bin({}, {})", format_timespan(*t), format_timespan(*s));
        }
    }

    #[test]
    fn round_of_a_negative_number_mirrors_the_positive_one(
        cases in prop::collection::vec((-100_000_000_i64..100_000_000, -2_i32..3), 1..40)
    ) {
        let runner = Runner::new();
        let cases: Vec<(i64, i32, i64)> = cases
            .into_iter()
            .filter_map(|(k, digits)| Some((k, digits, round_thousandths(k, digits)?)))
            .collect();
        prop_assume!(!cases.is_empty());
        let values: Vec<String> = cases
            .iter()
            .map(|(k, digits, _)| format!("{}, {digits}", real_literal(*k as f64 / 1000.0)))
            .collect();
        let rows = runner.rows(&format!(
            "datatable(v: real, d: long)[{}] | project round(v, d), round(-v, d)",
            values.join(", ")
        ));
        for ((k, digits, rounded), row) in cases.iter().zip(&rows) {
            let expected = *rounded as f64 / 1000.0;
            let (plus, minus) = (row[0].as_f64().unwrap(), row[1].as_f64().unwrap());
            prop_assert!((plus - expected).abs() <= 1e-9 * expected.abs().max(1.0), "round({}, {}) is {}, not {}", *k as f64 / 1000.0, digits, plus, expected);
            prop_assert_eq!(minus, -plus, "round(-{}, {})", *k as f64 / 1000.0, digits);
        }
    }

    #[test]
    fn whole_numbers_round_to_whole_multiples(
        cases in prop::collection::vec((-1_000_000_000_i64..1_000_000_000, 0_i32..3), 1..40)
    ) {
        let runner = Runner::new();
        // round(n, -digits) of a long: the nearest multiple of 10^digits, in thousandths with
        // `digits + 3` places.
        let cases: Vec<(i64, i32, i64)> = cases
            .into_iter()
            .filter_map(|(n, digits)| Some((n, digits, round_thousandths(n * 1000, -digits)? / 1000)))
            .collect();
        prop_assume!(!cases.is_empty());
        let values: Vec<String> = cases.iter().map(|(n, digits, _)| format!("{n}, {}", -digits)).collect();
        let rows = runner.rows(&format!(
            "datatable(v: long, d: long)[{}] | project round(v, d), round(-v, d), round(v)",
            values.join(", ")
        ));
        for ((n, digits, rounded), row) in cases.iter().zip(&rows) {
            prop_assert_eq!(&row[0], &json!(rounded), "round({}, -{})", n, digits);
            prop_assert_eq!(&row[1], &json!(-rounded), "round(-{}, -{})", n, digits);
            prop_assert_eq!(&row[2], &json!(n), "round({})", n);
        }
    }

    #[test]
    fn bin_at_aligns_bins_to_the_fixed_point(
        cases in prop::collection::vec((datetime(), bin_size(), -1_000_000_000_000_000_000_i64..1_000_000_000_000_000_000), 1..40)
    ) {
        let runner = Runner::new();
        // Datetimes from 1843 to 2096 and fixed points up to 31 years either side, in whole ticks,
        // so that every difference and bin start is a datetime torhunt holds.
        let cases: Vec<(i64, i64, i64)> = cases
            .into_iter()
            .map(|(d, s, delta)| (d / 2 / NANOS_PER_TICK * NANOS_PER_TICK, s, d / 2 + delta / NANOS_PER_TICK * NANOS_PER_TICK))
            .map(|(d, s, fixed)| (d, s, fixed / NANOS_PER_TICK * NANOS_PER_TICK))
            .collect();
        let values: Vec<String> = cases
            .iter()
            .map(|(d, s, fixed)| {
                format!("datetime({}), timespan({}), datetime({})", format_datetime(*d), format_timespan(*s), format_datetime(*fixed))
            })
            .collect();
        let rows = runner.rows(&format!(
            "datatable(d: datetime, s: timespan, f: datetime)[{}] \
             | project bin_at(d, s, f), bin_at(d - f, s, 0s), bin_at(f, s, f)",
            values.join(", ")
        ));
        for ((d, s, fixed), row) in cases.iter().zip(&rows) {
            let offset = floor_to(i128::from(*d) - i128::from(*fixed), i128::from(*s));
            let binned = (i128::from(*fixed) + offset) as i64;
            let call = format!("bin_at({}, {}, {})", format_datetime(*d), format_timespan(*s), format_datetime(*fixed));
            let (bin_start, bin_offset, fixed) = (format_datetime(binned), format_timespan(offset as i64), format_datetime(*fixed));
            prop_assert_eq!(text(&row[0]), bin_start.as_str(), "{}", call);
            prop_assert_eq!(text(&row[1]), bin_offset.as_str(), "{} as a timespan", call);
            prop_assert_eq!(text(&row[2]), fixed.as_str(), "the fixed point starts its own bin");
        }
    }
}
