//! `ingestion_time()` on the real samples of `../shared/fixtures/mde`: a Streaming API record's
//! envelope `time` (when Defender published it), kept through operators that keep the table's rows,
//! and null where Kusto's docs make it null (out of the context of a table's rows) or where the
//! format has no ingestion time (an Advanced Hunting CSV export).

use std::path::Path;

use serde_json::Value;

use crate::{stderr, stdout, torhunt};

const STREAMING: &str = "fixtures/mde/elastic-m365-streaming-device.ndjson";
const CSV_EXPORT: &str = "fixtures/mde/plaso-advanced-hunting-export.csv";

/// The rows of `torhunt query --format json` over one file.
fn rows(data: &Path, query: &str) -> Vec<Vec<Value>> {
    let data = data.to_str().unwrap();
    let output = torhunt(&["query", "--data", data, "--format", "json", query], None);
    assert!(output.status.success(), "{query}: {}", stderr(&output));
    let document: Value = serde_json::from_str(&stdout(&output)).expect("one JSON document");
    document["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| row.as_array().expect("a row").clone())
        .collect()
}

/// The envelope `time` of each record of a table in the sample, sorted, as Kusto prints datetimes.
fn envelope_times(sample: &Path, table: &str) -> Vec<String> {
    let text = std::fs::read_to_string(sample).expect("sample reads");
    let mut times: Vec<String> = text
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("a JSON record"))
        .filter(|record| record["category"] == format!("AdvancedHunting-{table}"))
        .map(|record| record["time"].as_str().expect("an envelope time").to_string())
        .collect();
    times.sort();
    times
}

#[test]
fn ingestion_time_is_the_streaming_envelope_time() {
    let Some(sample) = shared_fixtures::path(STREAMING) else {
        return;
    };
    let expected = envelope_times(&sample, "DeviceNetworkEvents");
    assert!(expected.len() > 10, "the sample has network events");
    let got = rows(
        &sample,
        "DeviceNetworkEvents | where isnotempty(DeviceId) | extend t = ingestion_time() \
         | project t | sort by t asc",
    );
    let got: Vec<String> = got
        .iter()
        .map(|row| row[0].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, expected);

    // Aggregates see the rows' ingestion times; an unnamed call is named as Kusto names it.
    let latest = rows(&sample, "DeviceNetworkEvents | summarize max(ingestion_time())");
    assert_eq!(latest, [[Value::from(expected.last().unwrap().as_str())]]);
    let output = torhunt(
        &[
            "query",
            "--data",
            sample.to_str().unwrap(),
            "--format",
            "json",
            "DeviceNetworkEvents | project ingestion_time() | take 1",
        ],
        None,
    );
    let document: Value = serde_json::from_str(&stdout(&output)).expect("one JSON document");
    assert_eq!(document["columns"][0]["name"], "$IngestionTime", "{document}");
}

/// The docs: used out of the context of a table's rows, `ingestion_time()` is null.
#[test]
fn ingestion_time_is_null_where_rows_are_not_a_tables() {
    let Some(sample) = shared_fixtures::path(STREAMING) else {
        return;
    };
    for query in [
        "DeviceNetworkEvents | summarize n = count() | extend t = ingestion_time() | project t",
        "print t = ingestion_time()",
    ] {
        assert_eq!(rows(&sample, query), [[Value::Null]], "{query}");
    }
}

/// An Advanced Hunting CSV export has no ingestion column: every row's ingestion time is null.
#[test]
fn a_csv_export_has_no_ingestion_time() {
    let Some(export) = shared_fixtures::path(CSV_EXPORT) else {
        return;
    };
    let rows = rows(
        &export,
        "union Device* | summarize rows = count(), ingested = countif(isnotnull(ingestion_time()))",
    );
    assert!(rows[0][0].as_i64().unwrap() > 100, "{rows:?}");
    assert_eq!(rows[0][1], 0);
}
