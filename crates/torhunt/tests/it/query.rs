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

#[test]
fn a_generated_fleet_folder_is_queried_whole_and_missing_tables_are_empty() {
    // `gen --out D` then `query --data D`: the relay list and manifest beside the telemetry are skipped
    // with a warning naming them; a catalog table the data lacks is empty, with a warning.
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("fleet");
    let root = root.to_str().expect("utf-8 path");
    let generated = torhunt(
        &[
            "gen",
            "--out",
            root,
            "--devices",
            "4",
            "--events",
            "200",
            "--days",
            "1",
        ],
        None,
    );
    assert!(generated.status.success(), "{}", stderr(&generated));
    let output = torhunt(
        &[
            "query",
            "--data",
            root,
            "--format",
            "csv",
            "union (DeviceNetworkEvents | count), (SigninLogs | count)",
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let warnings = stderr(&output);
    assert!(
        warnings.contains("skipped") && warnings.contains("TorRelayIPs.csv"),
        "{warnings}"
    );
    assert!(warnings.contains("manifest.json"), "{warnings}");
    // Event Hub files hold every table: SigninLogs is not in their sampled records, yet read.
    assert!(
        warnings.contains("no telemetry for SigninLogs in the sampled records of --data"),
        "{warnings}"
    );
    assert!(
        !warnings.contains("no telemetry for DeviceNetworkEvents"),
        "{warnings}"
    );
    let counts: Vec<u64> = stdout(&output)
        .lines()
        .skip(1)
        .map(|l| l.parse().expect("a count"))
        .collect();
    assert_eq!(counts.len(), 2, "{counts:?}");
    assert!(counts.contains(&0) && counts.iter().any(|c| *c > 0), "{counts:?}");
}

#[test]
fn a_catalog_table_without_files_is_empty_but_a_misspelt_one_is_an_error() {
    let output = torhunt(
        &["query", "--format", "csv", "DeviceRegistryEvents | count"],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "Count\n0\n");
    assert!(
        stderr(&output).contains("no telemetry for DeviceRegistryEvents in --data"),
        "{}",
        stderr(&output)
    );
    let output = torhunt(&["query", "DeviceRegistryEvent | take 1"], None);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("did you mean `DeviceRegistryEvents`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_oracle_schema_lists_every_catalog_table() {
    let output = torhunt(&["schema", "--oracle-json"], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let schema: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let tables = schema["tables"].as_object().expect("tables");
    assert_eq!(tables.len(), torhunt_sources::known_tables().count());
    assert_eq!(tables["DeviceRegistryEvents"]["RegistryValueData"], "string");
    assert_eq!(tables["SigninLogs"]["LocationDetails"], "dynamic");
}

#[test]
fn schema_shows_a_table_and_suggests_a_misspelt_name() {
    let output = torhunt(&["schema", "SigninLogs"], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let columns: Vec<String> = stdout(&output).lines().map(str::to_string).collect();
    let expected: Vec<String> = torhunt_sources::builtin_schema("SigninLogs")
        .expect("catalog table")
        .columns()
        .iter()
        .map(|(name, kusto_type)| format!("{name}\t{}", kusto_type.name()))
        .collect();
    assert_eq!(columns, expected);
    assert!(columns.contains(&"ConditionalAccessPolicies\tdynamic".to_string()));
    let output = torhunt(&["schema", "DeviceRegistryEvent"], None);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(
        err.contains("did you mean") && err.contains("`DeviceRegistryEvents`"),
        "{err}"
    );
}

/// An Event Hub message none of whose records can match is skipped whole, unsplit, and reported as a
/// message; the records skipped in a message that was split are reported as records. A malformed record
/// in the skipped message is found by `--no-prefilter`.
#[test]
fn whole_event_hub_messages_skipped_unparsed_are_reported_as_messages() {
    let dir = tempfile::tempdir().unwrap();
    let record = |url: &str, port: &str| {
        format!(
            r#"{{"time":"2024-05-01T00:00:00Z","category":"AdvancedHunting-DeviceNetworkEvents","properties":{{"Timestamp":"2024-05-01T00:00:00Z","RemoteUrl":"{url}","RemotePort":{port}}}}}"#
        )
    };
    let messages = [
        [
            record("tracker.torrent.example", "443"),
            record("example.com", "443"),
        ],
        [
            record("example.org", "\"not a port\""),
            record("example.net", "80"),
        ],
    ];
    let text: String = messages
        .iter()
        .map(|[a, b]| format!("{{\"records\":[{a},{b}]}}\n"))
        .collect();
    std::fs::write(dir.path().join("messages.json"), text).unwrap();
    let data = dir.path().to_str().unwrap();
    let query = r#"DeviceNetworkEvents | where RemoteUrl has "torrent" | project RemoteUrl"#;
    let run = |extra: &[&str]| {
        let mut args = vec!["query", "--data", data, "--format", "csv"];
        args.extend(extra);
        args.push(query);
        torhunt(&args, None)
    };
    let lenient = run(&[]);
    assert!(
        stdout(&lenient).contains("tracker.torrent.example"),
        "{}",
        stderr(&lenient)
    );
    assert!(
        stderr(&lenient).contains("1 record(s) and 1 whole Event Hub message(s) skipped unparsed"),
        "{}",
        stderr(&lenient)
    );
    let unfiltered = run(&["--no-prefilter"]);
    assert_eq!(stdout(&unfiltered), stdout(&lenient));
    assert!(
        stderr(&unfiltered).contains("1 malformed record(s) skipped"),
        "{}",
        stderr(&unfiltered)
    );
}

/// A malformed record the prefilter skips is reported as skipped unparsed, not checked; `--strict`
/// reads and checks every record, so the same record stops the read, naming file, line and reason.
#[test]
fn strict_checks_the_records_the_prefilter_would_skip() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("DeviceNetworkEvents.json");
    std::fs::write(
        &file,
        concat!(
            r#"{"Timestamp":"2024-05-01T00:00:00Z","RemoteUrl":"tracker.torrent.example"}"#,
            "\n",
            r#"{"Timestamp":"2024-05-01T00:00:01Z","RemoteUrl":"example.com","RemotePort":"not a port"}"#,
            "\n",
        ),
    )
    .unwrap();
    let query = r#"DeviceNetworkEvents | where RemoteUrl has "torrent" | project RemoteUrl"#;
    let data = file.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["query", "--data", data, "--format", "csv"];
        args.extend(extra);
        args.push(query);
        torhunt(&args, None)
    };
    let lenient = run(&[]);
    assert!(
        stdout(&lenient).contains("tracker.torrent.example"),
        "{}",
        stderr(&lenient)
    );
    assert!(
        stderr(&lenient).contains("1 record(s) skipped unparsed")
            && stderr(&lenient).contains("not checked for malformation"),
        "{}",
        stderr(&lenient)
    );
    assert!(
        !stderr(&lenient).contains("malformed record(s) skipped"),
        "{}",
        stderr(&lenient)
    );
    let unfiltered = run(&["--no-prefilter"]);
    assert!(stdout(&unfiltered).contains("tracker.torrent.example"));
    assert!(
        stderr(&unfiltered).contains("1 malformed record(s) skipped"),
        "{}",
        stderr(&unfiltered)
    );
    let strict = run(&["--strict"]);
    assert_eq!(strict.status.code(), Some(2), "{}", stderr(&strict));
    let message = stderr(&strict);
    assert!(
        message.contains("DeviceNetworkEvents.json")
            && message.contains("line 2")
            && message.contains("not a port"),
        "{message}"
    );
}

/// One pass per file: a query over three tables of an Event Hub capture (messages of records of
/// several tables) reads it once, says so, and answers as `--no-shared-reads` does.
#[test]
fn a_query_over_several_tables_of_a_multi_table_file_reads_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let tables = [
        "DeviceNetworkEvents",
        "DeviceProcessEvents",
        "DeviceImageLoadEvents",
    ];
    let records: Vec<Value> = (0..12)
        .map(|i| {
            let time = format!("2024-05-01T10:{i:02}:00Z");
            json!({
                "time": time,
                "category": format!("AdvancedHunting-{}", tables[i % 3]),
                "properties": { "Timestamp": time, "DeviceName": format!("host{i}") },
            })
        })
        .collect();
    let text: String = records
        .chunks(5)
        .map(|chunk| format!("{}\n", json!({ "records": chunk })))
        .collect();
    let file = dir.path().join("capture.json");
    std::fs::write(&file, text).unwrap();
    let data = file.to_str().unwrap();
    let query = "union DeviceNetworkEvents, DeviceProcessEvents, DeviceImageLoadEvents \
                 | summarize count() by Type";
    let run = |extra: &[&str]| {
        let mut args = vec!["query", "--data", data, "--format", "csv"];
        args.extend(extra);
        args.push(query);
        torhunt(&args, None)
    };
    let shared = run(&[]);
    let alone = run(&["--no-shared-reads"]);
    assert!(shared.status.success(), "{}", stderr(&shared));
    let sorted = |output: &std::process::Output| {
        let mut lines: Vec<String> = stdout(output).lines().map(str::to_string).collect();
        lines.sort();
        lines
    };
    assert_eq!(sorted(&shared), sorted(&alone));
    assert!(
        stdout(&shared).contains("DeviceImageLoadEvents,4"),
        "{}",
        stdout(&shared)
    );
    assert!(
        stderr(&shared).contains("2 read(s) of multi-table files saved: 1 pass(es)"),
        "{}",
        stderr(&shared)
    );
    assert!(!stderr(&alone).contains("saved"), "{}", stderr(&alone));
    let explain = run(&["--explain"]);
    assert_eq!(
        stdout(&explain).matches("shared_reads=1").count(),
        3,
        "{}",
        stdout(&explain)
    );
}
