//! Documentation-driven value tests: for each implemented built-in, its page in the Kusto Query
//! Language reference (<https://learn.microsoft.com/kusto/query/>) read whole, and every example's
//! output and every documented behaviour (null, empty, negative, out-of-range, invalid text, time
//! zones) written down as a case: a query run through the engine and its documented answer.
//!
//! One table per family ([`strings`], [`conditional`], [`datetime`], [`dynamic`], [`ip`], [`math`],
//! [`aggregates`], [`aggregates_more`], [`window`], [`plugins`], [`series`], [`geo`], [`dynamic_more`],
//! [`math_more`], [`encoding`], [`ip_more`], [`environment`]), one [`DocPage`] per page: the page's
//! address, the built-ins it documents and its cases. The ledger
//! (`docs/kql-coverage.md`, written by `coverage.rs`) takes "the page checked" per function from
//! these tables ([`checked_pages`]), so a function is only marked checked where cases here say so.
//! [`operators`] holds the pages of operators and language rules, which the ledger does not list.
//!
//! Where a page's example disagrees with what Kusto answers (an example whose output the page
//! misprints, checked against Kusto.Language or the emulator cases in ../shared), the case says so
//! in its note and expects Kusto's answer; where the page leaves a behaviour open, torhunt refuses it
//! and the case expects the refusal ([`Expect::Refused`]).

mod aggregates;
mod aggregates_more;
mod conditional;
mod datetime;
mod dynamic;
mod dynamic_more;
mod encoding;
mod environment;
mod geo;
mod ip;
mod ip_more;
mod math;
mod math_more;
mod operators;
mod plugins;
mod series;
mod strings;
mod window;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::properties::Runner;

/// The address every [`DocPage::page`] is under.
pub const DOCS: &str = "https://learn.microsoft.com/kusto/query/";

/// One documentation page and the cases taken from it.
pub struct DocPage {
    /// The page's name under [`DOCS`] (`indexof-function`).
    pub page: &'static str,
    /// The built-ins (Kusto.Language's names) the page documents and the cases call.
    pub functions: &'static [&'static str],
    pub cases: &'static [Case],
}

/// A query and its documented answer.
pub struct Case {
    /// An expression (`Expect::Value`, run as `print r = <kql>`) or a whole query.
    pub kql: &'static str,
    pub expect: Expect,
}

pub enum Expect {
    /// The value of one expression, as JSON text (`"abc"`, `2`, `2.0`, `null`, `["a"]`): a long and a
    /// real differ (`2` is not `2.0`), so the JSON also checks the kind of number.
    Value(&'static str),
    /// The value and its .NET type name (`Int32`, `Double`, `DateTime`, ...), where the page states
    /// the type.
    Typed(&'static str, &'static str),
    /// The rows of a whole query, as a JSON array of rows.
    Rows(&'static str),
    /// An error whose text contains this, for what the page leaves open or calls invalid.
    Refused(&'static str),
}

/// `print r = <kql>` answers `json`.
pub const fn value(kql: &'static str, json: &'static str) -> Case {
    Case {
        kql,
        expect: Expect::Value(json),
    }
}

/// `print r = <kql>` answers `json` of .NET type `ty`.
pub const fn typed(kql: &'static str, json: &'static str, ty: &'static str) -> Case {
    Case {
        kql,
        expect: Expect::Typed(json, ty),
    }
}

/// The query answers these rows.
pub const fn rows(kql: &'static str, json: &'static str) -> Case {
    Case {
        kql,
        expect: Expect::Rows(json),
    }
}

/// The query is refused with an error containing `text`.
pub const fn refused(kql: &'static str, text: &'static str) -> Case {
    Case {
        kql,
        expect: Expect::Refused(text),
    }
}

/// Every family's table.
fn families() -> [(&'static str, &'static [DocPage]); 18] {
    [
        ("string", strings::PAGES),
        ("conditional", conditional::PAGES),
        ("datetime", datetime::PAGES),
        ("dynamic", dynamic::PAGES),
        ("ip", ip::PAGES),
        ("math", math::PAGES),
        ("aggregate", aggregates::PAGES),
        ("series", series::PAGES),
        ("geo", geo::PAGES),
        ("geoip", geo::GEOIP_PAGES),
        ("dynamic (more)", dynamic_more::PAGES),
        ("more aggregate", aggregates_more::PAGES),
        ("window", window::PAGES),
        ("plugin", plugins::PAGES),
        ("more math", math_more::PAGES),
        ("encoding", encoding::PAGES),
        ("more ip", ip_more::PAGES),
        ("environment", environment::PAGES),
    ]
}

/// Per built-in, the pages its cases come from and how many cases each has: what the ledger shows
/// as checked.
pub fn checked_pages() -> BTreeMap<&'static str, Vec<(&'static str, usize)>> {
    let mut checked: BTreeMap<_, Vec<_>> = BTreeMap::new();
    for (_, pages) in families() {
        for page in pages {
            for function in page.functions {
                checked
                    .entry(*function)
                    .or_default()
                    .push((page.page, page.cases.len()));
            }
        }
    }
    checked
}

/// Runs every case of a family's table; all failures are reported together, each with its page.
fn check_family(pages: &[DocPage]) {
    for page in pages {
        assert!(!page.functions.is_empty(), "{}: names no function", page.page);
    }
    check_pages(&Runner::new(), pages);
}

/// Runs every case of the pages with `runner`; all failures are reported together, each with its page.
fn check_pages(runner: &Runner, pages: &[DocPage]) {
    let mut failures = Vec::new();
    for page in pages {
        assert!(!page.cases.is_empty(), "{}: a page with no cases", page.page);
        for case in page.cases {
            if let Err(failure) = check_case(runner, case) {
                failures.push(format!("{DOCS}{}\n  {}\n  {failure}", page.page, case.kql));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} documented behaviours differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn check_case(runner: &Runner, case: &Case) -> Result<(), String> {
    let query = match case.expect {
        Expect::Value(_) | Expect::Typed(..) => format!("print r = {}", case.kql),
        Expect::Rows(_) | Expect::Refused(_) => case.kql.to_string(),
    };
    let answer = runner.run_typed(&query);
    match (&case.expect, answer) {
        (Expect::Refused(text), Err(error)) if error.contains(text) => Ok(()),
        (Expect::Refused(text), Err(error)) => Err(format!("refused with `{error}`, not `{text}`")),
        (Expect::Refused(text), Ok((_, rows))) => {
            Err(format!("answered {rows:?}; the page says: refuse ({text})"))
        }
        (_, Err(error)) => Err(format!("failed: {error}")),
        (Expect::Value(json), Ok((_, rows))) => compare(&rows_value(&rows), json),
        (Expect::Typed(json, ty), Ok((types, rows))) => {
            compare(&rows_value(&rows), json)?;
            match types.first() {
                Some(actual) if actual == ty => Ok(()),
                actual => Err(format!("type {actual:?}, the page says {ty}")),
            }
        }
        (Expect::Rows(json), Ok((_, rows))) => {
            compare(&Value::Array(rows.into_iter().map(Value::Array).collect()), json)
        }
    }
}

/// The single value of a `print r = ...` answer.
fn rows_value(rows: &[Vec<Value>]) -> Value {
    match rows {
        [row] if row.len() == 1 => row[0].clone(),
        _ => Value::Array(rows.iter().cloned().map(Value::Array).collect()),
    }
}

fn compare(actual: &Value, json: &str) -> Result<(), String> {
    let expected: Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("the case's JSON `{json}`: {e}"));
    if same(actual, &expected) {
        Ok(())
    } else {
        Err(format!("answered {actual}, the page says {expected}"))
    }
}

/// JSON equality, with reals equal to 1e-9 relative (the pages print rounded reals).
fn same(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Number(a), Value::Number(e)) if a.is_f64() && e.is_f64() => {
            let (a, e) = (a.as_f64().unwrap_or(f64::NAN), e.as_f64().unwrap_or(f64::NAN));
            a == e || (a - e).abs() <= 1e-9 * e.abs().max(1.0)
        }
        (Value::Array(a), Value::Array(e)) => a.len() == e.len() && a.iter().zip(e).all(|(a, e)| same(a, e)),
        (Value::Object(a), Value::Object(e)) => {
            a.len() == e.len() && a.iter().all(|(k, v)| e.get(k).is_some_and(|w| same(v, w)))
        }
        _ => actual == expected,
    }
}

#[test]
fn string_functions_answer_as_documented() {
    check_family(strings::PAGES);
}

#[test]
fn conditional_functions_answer_as_documented() {
    check_family(conditional::PAGES);
}

#[test]
fn datetime_functions_answer_as_documented() {
    check_family(datetime::PAGES);
}

#[test]
fn dynamic_functions_answer_as_documented() {
    check_family(dynamic::PAGES);
}

#[test]
fn ip_functions_answer_as_documented() {
    check_family(ip::PAGES);
}

#[test]
fn math_functions_answer_as_documented() {
    check_family(math::PAGES);
}

#[test]
fn aggregates_answer_as_documented() {
    check_family(aggregates::PAGES);
}

#[test]
fn operators_and_language_rules_answer_as_documented() {
    check_pages(&Runner::new(), operators::PAGES);
}

#[test]
fn series_functions_answer_as_documented() {
    check_family(series::PAGES);
}

#[test]
fn geo_functions_answer_as_documented() {
    check_family(geo::PAGES);
}

#[test]
fn geo_info_from_ip_address_answers_as_documented() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let database = dir.path().join("city.mmdb");
    std::fs::write(&database, crate::geoip::docs_database()).expect("database written");
    check_pages(&Runner::with_geoip(&database), geo::GEOIP_PAGES);
}

#[test]
fn more_dynamic_functions_answer_as_documented() {
    check_family(dynamic_more::PAGES);
}

#[test]
fn more_aggregates_answer_as_documented() {
    check_family(aggregates_more::PAGES);
}

#[test]
fn window_functions_answer_as_documented() {
    check_family(window::PAGES);
}

#[test]
fn plugins_answer_as_documented() {
    check_family(plugins::PAGES);
}

#[test]
fn more_math_functions_answer_as_documented() {
    check_family(math_more::PAGES);
}

#[test]
fn encoding_functions_answer_as_documented() {
    check_family(encoding::PAGES);
}

#[test]
fn more_ip_functions_answer_as_documented() {
    check_family(ip_more::PAGES);
}

#[test]
fn clock_random_and_epoch_functions_answer_as_documented() {
    check_family(environment::PAGES);
}

#[test]
fn every_page_is_cited_once() {
    let mut pages = BTreeMap::new();
    for (family, table) in families() {
        for page in table {
            if let Some(other) = pages.insert(page.page, family) {
                panic!("{} is in the {other} and the {family} tables", page.page);
            }
        }
    }
}
