//! `/` and `%` over every sign combination, against the "numerical operators" page: both operands
//! whole give a whole (long) result, "truncated"; "the modulo of two numbers always returns in Kusto a
//! small non-negative number", `0 <= N % D < abs(D)` (`-14 % 12` is 10, `14 % -12` is 2). The
//! "overflow" page: an overflow "leads to a partial query failure", and no page gives a value for a
//! whole division by zero: both must be refused, never answered.

use proptest::prelude::*;
use serde_json::json;

use super::{Runner, config, real_literal};

/// Whole numbers of every size and sign, small ones often.
fn whole() -> impl Strategy<Value = i64> {
    prop_oneof![-30_i64..30, (i64::MIN + 1)..=i64::MAX]
}

fn nonzero() -> impl Strategy<Value = i64> {
    whole().prop_filter("a divisor", |d| *d != 0)
}

/// Reals that print without an exponent: sixteenths up to about a million, both signs.
fn real() -> impl Strategy<Value = f64> {
    (-16_000_000_i64..16_000_000).prop_map(|n| n as f64 / 16.0)
}

/// The documented modulo on reals: the remainder moved into `[0, abs(d))`.
fn real_modulo(n: f64, d: f64) -> f64 {
    let remainder = n % d;
    if remainder >= 0.0 {
        remainder
    } else if d < 0.0 {
        remainder - d
    } else {
        remainder + d
    }
}

#[test]
fn the_documented_modulo_examples() {
    let runner = Runner::new();
    let rows = runner
        .rows("print plusPlus = 14 % 12, minusPlus = -14 % 12, plusMinus = 14 % -12, minusMinus = -14 % -12");
    assert_eq!(rows, [[json!(2), json!(10), json!(2), json!(10)]]);
    // "1 / 2 is 0: integer division happens, and the fraction is truncated."
    let rows = runner.rows("print a = 1.0 / 2, b = 1 / 2.0, c = 1 / 2, d = real(1) / 2");
    assert_eq!(rows, [[json!(0.5), json!(0.5), json!(0), json!(0.5)]]);
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn whole_division_truncates_and_modulo_is_never_negative(
        pairs in prop::collection::vec((whole(), nonzero()), 1..40)
    ) {
        let runner = Runner::new();
        let values: Vec<String> = pairs.iter().map(|(n, d)| format!("{n}, {d}")).collect();
        let rows = runner.rows(&format!(
            "datatable(n: long, d: long)[{}] | project q = n / d, m = n % d",
            values.join(", ")
        ));
        for ((n, d), row) in pairs.iter().zip(&rows) {
            // i64::MIN is never generated, so neither can overflow.
            prop_assert_eq!(&row[0], &json!(n / d), "{} / {}", n, d);
            prop_assert_eq!(&row[1], &json!(n.rem_euclid(*d)), "{} % {}", n, d);
        }
    }

    #[test]
    fn int_operands_compute_as_long(
        pairs in prop::collection::vec((-2_000_000_000_i32..2_000_000_000, -2_000_000_000_i32..2_000_000_000), 1..40)
    ) {
        // "If both operands are of integer types (int or long), the result will be of type long":
        // int + int never wraps at 32 bits.
        let runner = Runner::new();
        let values: Vec<String> = pairs.iter().map(|(a, b)| format!("{a}, {b}")).collect();
        let rows = runner.rows(&format!(
            "datatable(a: int, b: int)[{}] | project s = a + b, p = a * b, m = a % b",
            values.join(", ")
        ));
        for ((a, b), row) in pairs.iter().zip(&rows) {
            let (a, b) = (i64::from(*a), i64::from(*b));
            prop_assert_eq!(&row[0], &json!(a + b));
            prop_assert_eq!(&row[1], &json!(a * b));
            let modulo = if b == 0 { None } else { Some(a.rem_euclid(b)) };
            if let Some(modulo) = modulo {
                prop_assert_eq!(&row[2], &json!(modulo));
            }
        }
    }

    #[test]
    fn real_division_and_modulo_follow_the_same_rules(
        pairs in prop::collection::vec((real(), real().prop_filter("a divisor", |d| *d != 0.0)), 1..40)
    ) {
        let runner = Runner::new();
        let values: Vec<String> = pairs
            .iter()
            .map(|(n, d)| format!("{}, {}", real_literal(*n), real_literal(*d)))
            .collect();
        let rows = runner.rows(&format!(
            "datatable(n: real, d: real)[{}] | project q = n / d, m = n % d",
            values.join(", ")
        ));
        for ((n, d), row) in pairs.iter().zip(&rows) {
            prop_assert_eq!(row[0].as_f64(), Some(n / d), "{} / {}", n, d);
            let modulo = row[1].as_f64().expect("a number");
            prop_assert_eq!(modulo, real_modulo(*n, *d), "{} % {}", n, d);
            prop_assert!((0.0..=d.abs()).contains(&modulo), "{} % {} = {}", n, d, modulo);
        }
    }

    #[test]
    fn whole_division_by_zero_is_refused(n in whole()) {
        let runner = Runner::new();
        for operator in ["/", "%"] {
            let query = format!("datatable(n: long, d: long)[{n}, 0] | project n {operator} d");
            prop_assert!(runner.run(&query).is_err(), "{} answered", query);
        }
    }

    #[test]
    fn long_overflow_is_refused(a in whole(), b in whole()) {
        let runner = Runner::new();
        for (operator, exact) in [
            ("+", a.checked_add(b)),
            ("-", a.checked_sub(b)),
            ("*", a.checked_mul(b)),
        ] {
            let query = format!("datatable(a: long, b: long)[{a}, {b}] | project a {operator} b");
            match (exact, runner.run(&query)) {
                (Some(exact), Ok(rows)) => prop_assert_eq!(&rows, &vec![vec![json!(exact)]], "{}", query),
                (None, Ok(rows)) => prop_assert!(false, "{} overflows, but answered {:?}", query, rows),
                (Some(_), Err(error)) => prop_assert!(false, "{} failed: {}", query, error),
                (None, Err(_)) => {}
            }
        }
    }
}
