//! Malformed input is reported with file, line and reason, counted and skipped; strict mode refuses it.

use std::fs;
use std::path::{Path, PathBuf};

use torhunt_sources::{DataSet, Position, ReadOptions, SourceError, UNROUTED};

use datafusion::prelude::{ident, lit};

use crate::{count, table};

fn storage_line(report_id: i64, remote_port: &str) -> String {
    format!(
        r#"{{"time":"2024-05-01T10:00:00Z","tenantId":"t1","category":"AdvancedHunting-DeviceNetworkEvents","properties":{{"ReportId":{report_id},"RemotePort":{remote_port},"Timestamp":"2024-05-01T09:59:00Z"}}}}"#
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).expect("file writes");
    path
}

async fn rows(data: &DataSet) -> usize {
    table(data, "DeviceNetworkEvents")
        .await
        .count()
        .await
        .expect("count runs")
}

fn open(path: &Path, strict: bool) -> DataSet {
    let options = ReadOptions {
        strict,
        ..ReadOptions::default()
    };
    DataSet::discover(&[path.to_path_buf()], &[], options).expect("discovery succeeds")
}

#[tokio::test]
async fn malformed_lines_are_skipped_and_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "{}\n{{\"time\": oops\n{}\n",
        storage_line(1, "443"),
        storage_line(2, "80")
    );
    let path = write(dir.path(), "stream.json", &text);
    let data = open(&path, false);
    assert_eq!(rows(&data).await, 2);
    let files = data.report().table("DeviceNetworkEvents");
    assert_eq!((files.len(), files[0].1.rows, files[0].1.skipped), (1, 2, 0));
    // Records name their tables in this layout: a line that is not JSON names none.
    let files = data.report().table(UNROUTED);
    assert_eq!(files.len(), 1);
    let (file, report) = &files[0];
    assert_eq!(file, &path);
    assert_eq!(report.skipped, 1);
    assert_eq!(report.reasons[0].position, Position::Line(2));
    assert!(
        report.reasons[0].reason.contains("invalid JSON"),
        "{}",
        report.reasons[0].reason
    );
    assert_eq!(report.incomplete_tail, None);
}

#[tokio::test]
async fn wrong_types_in_typed_columns_skip_the_record_whatever_is_projected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!("{}\n{}\n", storage_line(1, "\"https\""), storage_line(2, "80"));
    let path = write(dir.path(), "stream.json", &text);
    let data = open(&path, false);
    // RemotePort is not projected by this query, yet the record with a non-int port is skipped.
    assert_eq!(
        count(&data, "DeviceNetworkEvents", ident("ReportId").is_not_null()).await,
        1
    );
    let (_, report) = &data.report().table("DeviceNetworkEvents")[0];
    assert_eq!(report.skipped, 1);
    assert_eq!(report.reasons[0].position, Position::Line(1));
    assert!(
        report.reasons[0].reason.contains("column RemotePort"),
        "{}",
        report.reasons[0].reason
    );

    // The same in a CSV export, where the line is the record's line in the file.
    let csv = "Timestamp,ReportId,RemotePort\r\n2024-05-01T09:59:00Z,1,443\r\n2024-05-01T09:59:00Z,2,4x3\r\n";
    let path = write(dir.path(), "DeviceNetworkEvents.csv", csv);
    let data = open(&path, false);
    assert_eq!(rows(&data).await, 1);
    let (_, report) = &data.report().table("DeviceNetworkEvents")[0];
    assert_eq!(report.reasons[0].position, Position::Line(3));
    assert!(
        report.reasons[0].reason.contains("\"4x3\" is not a valid int"),
        "{}",
        report.reasons[0].reason
    );
}

#[tokio::test]
async fn one_bad_record_of_an_event_hub_message_spares_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    let record = |id: i64, port: &str| storage_line(id, port);
    let text = format!(
        "{{\"records\":[{},{},{}]}}\n",
        record(1, "443"),
        record(2, "true"),
        record(3, "80")
    );
    let path = write(dir.path(), "hub.json", &text);
    let data = open(&path, false);
    assert_eq!(rows(&data).await, 2);
    let (_, report) = &data.report().table("DeviceNetworkEvents")[0];
    assert_eq!(report.skipped, 1);
    assert!(
        report.reasons[0]
            .reason
            .starts_with("record 2: column RemotePort"),
        "{}",
        report.reasons[0].reason
    );
}

#[tokio::test]
async fn a_truncated_last_line_is_an_incomplete_tail_not_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let full = storage_line(3, "80");
    let text = format!(
        "{}\n{}\n{}",
        storage_line(1, "443"),
        storage_line(2, "80"),
        &full[..full.len() / 2]
    );
    let path = write(dir.path(), "stream.json", &text);
    let data = open(&path, false);
    assert_eq!(rows(&data).await, 2);
    // The incomplete line names no table (it does not parse): it is the file's, under UNROUTED.
    let (_, report) = &data.report().table(UNROUTED)[0];
    assert_eq!(
        (report.skipped, report.incomplete_tail),
        (0, Some(Position::Line(3)))
    );
    assert_eq!(data.report().incomplete_tails(), 1);

    // A CSV cut mid-record.
    let csv = "Timestamp,ReportId,RemotePort\r\n2024-05-01T09:59:00Z,1,443\r\n2024-05-01T09:5";
    let path = write(dir.path(), "DeviceNetworkEvents.csv", csv);
    let data = open(&path, false);
    assert_eq!(rows(&data).await, 1);
    let (_, report) = &data.report().table("DeviceNetworkEvents")[0];
    assert_eq!(
        (report.skipped, report.incomplete_tail),
        (0, Some(Position::Line(3)))
    );
}

#[tokio::test]
async fn strict_mode_fails_on_the_first_bad_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "{}\nnot json at all\n{}\n",
        storage_line(1, "443"),
        storage_line(2, "80")
    );
    let path = write(dir.path(), "stream.json", &text);
    let data = open(&path, true);
    let error = table(&data, "DeviceNetworkEvents")
        .await
        .collect()
        .await
        .expect_err("strict mode fails");
    let message = error.to_string();
    assert!(
        message.contains("stream.json") && message.contains("line 2") && message.contains("invalid JSON"),
        "{message}"
    );
}

#[tokio::test]
async fn records_of_no_known_table_are_reported_as_unrouted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = "Timestamp,ActionType,RemotePort\r\n\
               2024-05-01T09:59:00Z,ConnectionSuccess,443\r\n\
               2024-05-01T09:59:01Z,BrandNewActionType,1\r\n";
    let path = write(dir.path(), "export.csv", csv);
    let data = open(&path, false);
    assert_eq!(rows(&data).await, 1);
    let unrouted = data.report().table(UNROUTED);
    assert_eq!(unrouted[0].1.skipped, 1);
    assert_eq!(unrouted[0].1.reasons[0].position, Position::Line(3));
    assert!(unrouted[0].1.reasons[0].reason.contains("BrandNewActionType"));

    // A file with no way at all to tell its table is refused with advice.
    let path = write(dir.path(), "mystery.csv", "A,B\r\n1,2\r\n");
    let error = DataSet::discover(&[path], &[], ReadOptions::default()).expect_err("no table");
    assert!(matches!(error, SourceError::UnknownTable { .. }), "{error}");
    assert!(error.to_string().contains("--table NAME=PATH"), "{error}");
}

#[tokio::test]
async fn forced_tables_win_and_garbage_is_refused_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "mystery.csv",
        "Timestamp,DeviceName\r\n2024-05-01T09:59:00Z,host1\r\n",
    );
    let forced = [("deviceinfo".to_string(), path.clone())];
    let data = DataSet::discover(&[], &forced, ReadOptions::default()).expect("mapping names the table");
    assert_eq!(
        count(&data, "DeviceInfo", ident("DeviceName").eq(lit("host1"))).await,
        1
    );

    let binary = dir.path().join("blob.dat");
    fs::write(&binary, [0u8, 159, 146, 150, 0, 1, 2]).expect("file writes");
    let error = DataSet::discover(&[binary], &[], ReadOptions::default()).expect_err("not telemetry");
    assert!(error.to_string().contains("blob.dat"), "{error}");

    let missing = DataSet::discover(&[dir.path().join("nope-*.json")], &[], ReadOptions::default());
    assert!(matches!(missing, Err(SourceError::NothingFound { .. })));
}

#[tokio::test]
async fn multi_table_files_are_sampled_yet_every_record_is_read_or_reported() {
    // Discovery samples the first records of a file whose records name their tables; a built-in table
    // that shows up only later is still read, and a table no sample showed is reported, once, however
    // many scans meet it.
    let dir = tempfile::tempdir().expect("tempdir");
    let record = |category: &str, report_id: u64| {
        format!(
            r#"{{"time":"2024-05-01T10:00:00Z","tenantId":"t1","category":"AdvancedHunting-{category}","properties":{{"ReportId":{report_id},"Timestamp":"2024-05-01T09:59:00Z"}}}}"#
        )
    };
    let mut lines: Vec<String> = (0..1500).map(|id| record("DeviceNetworkEvents", id)).collect();
    lines.push(record("DeviceProcessEvents", 1500));
    lines.push(record("EmailEvents", 1501));
    lines.push(record("ContosoCustomEvents", 1502));
    let path = write(dir.path(), "stream.json", &(lines.join("\n") + "\n"));
    let data = open(&path, false);
    assert_eq!(rows(&data).await, 1500);
    for late in ["DeviceProcessEvents", "EmailEvents"] {
        let count = table(&data, late).await.count().await.expect("count runs");
        assert_eq!(count, 1, "{late}");
    }
    let unrouted = data.report().table(UNROUTED);
    assert_eq!(unrouted.len(), 1, "{unrouted:?}");
    assert_eq!(unrouted[0].1.skipped, 1, "reported once by three scans");
    assert_eq!(unrouted[0].1.reasons[0].position, Position::Line(1503));
    assert!(unrouted[0].1.reasons[0].reason.contains("ContosoCustomEvents"));
}
