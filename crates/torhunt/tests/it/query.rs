//! `torhunt query`: results in every output format, with Kusto's value forms.

use serde_json::{Value, json};

use crate::{stderr, stdout, torhunt};

#[test]
fn json_output_has_kusto_types_and_value_forms() {
    let output = torhunt(
        &[
            "query",
            "--format",
            "json",
            "print d = datetime(2022-11-19 10:00:00.1234567), t = 1d + 2h, n = 42, s = 'tor', b = true",
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let document: Value = serde_json::from_str(&stdout(&output)).expect("one JSON document");
    let types: Vec<&str> = document["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["datetime", "timespan", "long", "string", "bool"]);
    assert_eq!(
        document["rows"],
        json!([["2022-11-19T10:00:00.1234567Z", "1.02:00:00", 42, "tor", true]])
    );
}

#[test]
fn ago_is_relative_to_now_flag() {
    let output = torhunt(
        &[
            "query",
            "--format",
            "csv",
            "--now",
            "2022-11-19T10:00:00Z",
            "print a = ago(1d)",
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "a\n2022-11-18T10:00:00Z\n");
}

#[test]
fn ndjson_output_is_one_object_per_row() {
    let output = torhunt(
        &["query", "--format", "ndjson", "range x from 1 to 3 step 1"],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let rows: Vec<Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows, [json!({"x": 1}), json!({"x": 2}), json!({"x": 3})]);
}

#[test]
fn an_unknown_table_is_an_error_exit_2() {
    let output = torhunt(&["query", "DeviceNetworkEventz | take 1"], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("DeviceNetworkEventz"),
        "{}",
        stderr(&output)
    );
}
