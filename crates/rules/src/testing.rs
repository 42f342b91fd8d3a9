//! Running a rule's embedded test cases: each variant, over the test's input rows (written to a
//! temporary folder and read by the same readers as real telemetry), at the test's `now`, with the
//! test's Tor relay history as the intel store, through the same runner as a hunt.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::DateTime;
use serde_json::{Map, Value};
use torhunt_engine::{Engine, EngineConfig, RegisteredTable, ResultColumn};
use torhunt_intel::{Format, ImportOptions, ImportOutcome, ParseContext, Store, parse_document};
use torhunt_sources::{DataSet, ReadOptions};

use crate::alert::alerts_from_result;
use crate::hunt::{Runner, rule_window};
use crate::needs::query_needs;
use crate::relay_intel;
use crate::rule::{RelaySnapshot, Rule, TestCase, Variant};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestOutcome {
    Pass,
    Fail(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestResult {
    pub rule_id: String,
    pub variant: Option<String>,
    pub test: String,
    pub outcome: TestOutcome,
}

/// Runs every test of every variant of a rule.
pub async fn run_rule_tests(rule: &Rule) -> Vec<TestResult> {
    let mut results = Vec::new();
    for variant in &rule.variants {
        for test in &rule.tests {
            let outcome = match run_test(rule, variant, test).await {
                Ok(outcome) => outcome,
                Err(reason) => TestOutcome::Fail(reason),
            };
            results.push(TestResult {
                rule_id: rule.id.clone(),
                variant: variant.name.clone(),
                test: test.name.clone(),
                outcome,
            });
        }
    }
    results
}

async fn run_test(rule: &Rule, variant: &Variant, test: &TestCase) -> Result<TestOutcome, String> {
    let now = kql_types::time::parse_datetime(&test.now)
        .ok_or_else(|| format!("`now: {}` is not a date", test.now))?;
    let folder = tempfile::tempdir().map_err(|e| format!("creating a temporary folder: {e}"))?;
    let needs = query_needs(&variant.query).map_err(|d| d.message)?;
    // Every table the query names exists, empty when the test gives no rows for it.
    let tables: BTreeSet<&str> = needs
        .tables
        .iter()
        .map(String::as_str)
        .chain(test.input.keys().map(String::as_str))
        .collect();
    let mut forced = Vec::new();
    for table in tables {
        let rows = test.input.get(table).map(Vec::as_slice).unwrap_or_default();
        let path = folder.path().join(format!("{table}.ndjson"));
        let text: String = rows
            .iter()
            .map(|row| format!("{}\n", Value::Object(row.clone())))
            .collect();
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        forced.push((table.to_string(), path));
    }
    let mut engine = Engine::new(EngineConfig {
        now: Some(now),
        ..EngineConfig::default()
    })
    .map_err(|e| format!("creating the engine: {e}"))?;
    for (index, (url, content)) in test.externaldata.iter().enumerate() {
        let path: PathBuf = folder.path().join(format!("externaldata-{index}"));
        std::fs::write(&path, content).map_err(|e| format!("{}: {e}", path.display()))?;
        engine.external_data_mut().map_url(url.clone(), path);
    }
    let data = DataSet::discover(
        &[],
        &forced,
        ReadOptions {
            strict: true,
            ..ReadOptions::default()
        },
    )
    .map_err(|e| format!("reading the test input: {e}"))?;
    register_tables(&mut engine, &data);
    // Always a store, empty without `relays:`: the intel functions then refuse, and the test fails
    // saying so, rather than being skipped.
    relay_intel::register(&mut engine, Arc::new(relay_history(&test.relays)?))
        .map_err(|e| format!("registering the relay history: {e}"))?;
    let result = Runner::new(&engine)
        .run(variant, now, rule_window(rule, None))
        .await
        .map_err(|e| {
            let messages: Vec<&str> = e.diagnostics.iter().map(|d| d.message.as_str()).collect();
            // The functions' own advice (`torhunt intel update`) is for a hunt; a test brings its history.
            let hint = if test.relays.is_empty() && !needs.intel_functions.is_empty() {
                " (the test gives no relay history: add `relays:`, see docs/rule-format.md)"
            } else {
                ""
            };
            format!("the query failed: {}{hint}", messages.join("; "))
        })?;
    let rows: Vec<Map<String, Value>> = alerts_from_result(rule, &result)
        .into_iter()
        .map(|a| a.row)
        .collect();
    Ok(match compare(&rows, &test.expect) {
        None => TestOutcome::Pass,
        Some(reason) => TestOutcome::Fail(reason),
    })
}

/// An intel store holding a test's relay history: each snapshot imported as a plain relay list dated
/// its `at`. Shrinking lists are accepted (a test states exactly which addresses each list holds).
fn relay_history(snapshots: &[RelaySnapshot]) -> Result<Store, String> {
    let mut store = Store::default();
    for (index, snapshot) in snapshots.iter().enumerate() {
        let source = format!("relays[{index}] (at {})", snapshot.at);
        let time = kql_types::time::parse_datetime(&snapshot.at)
            .map(DateTime::from_timestamp_nanos)
            .ok_or_else(|| format!("{source}: `at` is not a date and time"))?;
        let list: String = snapshot.addresses.iter().map(|ip| format!("{ip}\n")).collect();
        let context = ParseContext {
            source: source.clone(),
            time: Some(time),
        };
        let parsed =
            parse_document(list.as_bytes(), Format::RelayList, &context).map_err(|e| e.to_string())?;
        let options = ImportOptions {
            accept_shrinking: true,
        };
        if let ImportOutcome::Rejected { reason } = store.import(&parsed, options).outcome {
            return Err(format!("{source}: {reason}"));
        }
    }
    Ok(store)
}

/// Registers a data set's tables on an engine with their Kusto schemas; catalog tables no file feeds
/// are registered empty and marked as without telemetry.
pub fn register_tables(engine: &mut Engine, data: &DataSet) {
    torhunt_sources::install_shared_reads(engine.session());
    for (name, provider) in data.tables() {
        let columns = data
            .kusto_schema(name)
            .unwrap_or_default()
            .into_iter()
            .map(|(column, ty)| ResultColumn::new(column, ty))
            .collect();
        engine.register_table(name, RegisteredTable { provider, columns });
    }
    for name in data.tables_without_telemetry() {
        engine.mark_without_telemetry(name);
    }
}

/// `None` when the rows are exactly the expected ones (each expected partial row matching a different
/// row, in any order), else what differs.
pub fn compare(rows: &[Map<String, Value>], expected: &[Map<String, Value>]) -> Option<String> {
    let mut unmatched: Vec<&Map<String, Value>> = rows.iter().collect();
    let mut missing = Vec::new();
    for want in expected {
        match unmatched.iter().position(|row| partial_match(row, want)) {
            Some(index) => {
                unmatched.remove(index);
            }
            None => missing.push(Value::Object(want.clone()).to_string()),
        }
    }
    if missing.is_empty() && unmatched.is_empty() {
        return None;
    }
    let mut reasons = Vec::new();
    if !missing.is_empty() {
        reasons.push(format!("expected but not returned: {}", missing.join(", ")));
    }
    if !unmatched.is_empty() {
        let extra: Vec<String> = unmatched
            .iter()
            .map(|row| Value::Object((*row).clone()).to_string())
            .collect();
        reasons.push(format!("returned but not expected: {}", extra.join(", ")));
    }
    Some(format!(
        "{} row(s) returned, {} expected; {}",
        rows.len(),
        expected.len(),
        reasons.join("; ")
    ))
}

/// Every expected column is in the row with an equal value; datetimes compare as instants.
fn partial_match(row: &Map<String, Value>, want: &Map<String, Value>) -> bool {
    want.iter().all(|(column, expected)| {
        row.get(column).is_some_and(|actual| {
            actual == expected
                || match (actual, expected) {
                    (Value::String(a), Value::String(b)) => {
                        let parse = kql_types::time::parse_datetime;
                        parse(a).is_some() && parse(a) == parse(b)
                    }
                    _ => false,
                }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rows(value: Value) -> Vec<Map<String, Value>> {
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_object().unwrap().clone())
            .collect()
    }

    #[test]
    fn expected_rows_match_partially_in_any_order() {
        let actual = rows(json!([{"ReportId": 1, "T": "2024-05-01T10:00:00Z"}, {"ReportId": 2, "T": "x"}]));
        assert_eq!(
            compare(
                &actual,
                &rows(json!([{"ReportId": 2}, {"T": "2024-05-01T10:00:00.0000000Z"}]))
            ),
            None
        );
        let missing = compare(
            &actual,
            &rows(json!([{"ReportId": 3}, {"ReportId": 1}, {"ReportId": 2}])),
        )
        .unwrap();
        assert!(
            missing.contains("expected but not returned: {\"ReportId\":3}"),
            "{missing}"
        );
        let extra = compare(&actual, &rows(json!([{"ReportId": 1}]))).unwrap();
        assert!(extra.contains("returned but not expected"), "{extra}");
        assert!(compare(&[], &[]).is_none());
    }
}
