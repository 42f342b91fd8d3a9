//! Hostile input costs bounded memory and tells one truth: a record longer than the limit is refused
//! by size (decompressed), whether a record is malformed does not depend on the columns a query reads,
//! and every malformed record is counted once per run, however many scans meet it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use datafusion::prelude::ident;
use torhunt_sources::{DataSet, Position, ReadOptions, SourceError, UNROUTED};

use crate::table;

/// A Streaming API record of DeviceNetworkEvents, with `extra` spliced into its properties.
fn record(report_id: u64, extra: &str) -> String {
    format!(
        r#"{{"time":"2024-05-01T10:00:00Z","tenantId":"t1","category":"AdvancedHunting-DeviceNetworkEvents","properties":{{"ReportId":{report_id},"RemotePort":443,"Timestamp":"2024-05-01T09:59:00Z"{extra}}}}}"#
    )
}

fn open(path: &Path, options: ReadOptions) -> DataSet {
    DataSet::discover(&[path.to_path_buf()], &[], options).expect("discovery succeeds")
}

fn limited(max_record_bytes: u64) -> ReadOptions {
    ReadOptions {
        max_record_bytes,
        ..ReadOptions::default()
    }
}

fn gzip(path: &Path, parts: &[&[u8]]) -> PathBuf {
    let file = fs::File::create(path).expect("file creates");
    let mut encoder = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    for part in parts {
        encoder.write_all(part).expect("gzip writes");
    }
    encoder.finish().expect("gzip finishes");
    path.to_path_buf()
}

async fn rows(data: &DataSet, table_name: &str) -> usize {
    table(data, table_name).await.count().await.expect("count runs")
}

/// Skipped records over every table of the report, with their reasons.
fn skipped(data: &DataSet) -> (u64, Vec<String>) {
    let files = data.report().files();
    let reasons = files
        .iter()
        .flat_map(|(.., report)| report.reasons.iter().map(|r| r.reason.clone()))
        .collect();
    (data.report().skipped(), reasons)
}

/// The issue's gzip bomb, scaled down: a small gzip holding one line many times the record limit
/// between good lines. The long line is counted as one malformed record, sized decompressed; the
/// good lines are read.
#[tokio::test]
async fn a_line_longer_than_the_limit_in_a_gzip_is_skipped_by_its_decompressed_size() {
    let dir = tempfile::tempdir().expect("tempdir");
    let long = vec![b'7'; 8 << 20];
    let path = gzip(
        &dir.path().join("stream.json.gz"),
        &[
            record(1, "").as_bytes(),
            b"\n{\"pad\":\"",
            &long,
            b"\"}\n",
            record(2, "").as_bytes(),
            b"\n",
        ],
    );
    assert!(
        fs::metadata(&path).unwrap().len() < 1 << 20,
        "the bomb is small on disk"
    );
    let data = open(&path, limited(64 << 10));
    assert_eq!(rows(&data, "DeviceNetworkEvents").await, 2);
    let (count, reasons) = skipped(&data);
    assert_eq!(count, 1, "{reasons:?}");
    let expected = format!(
        "a record of {} bytes, longer than the 65536-byte limit",
        long.len() + 11
    );
    assert!(reasons[0].contains(&expected), "{reasons:?}");

    // Strict mode refuses it, naming file and line.
    let strict = ReadOptions {
        strict: true,
        ..limited(64 << 10)
    };
    let data = open(&path, strict);
    let error = table(&data, "DeviceNetworkEvents")
        .await
        .collect()
        .await
        .expect_err("strict refuses the long line");
    let message = error.to_string();
    assert!(
        message.contains("stream.json.gz") && message.contains("line 2") && message.contains("limit"),
        "{message}"
    );
}

/// A CSV value whose quote never closes runs to the end of the file: past the limit the read fails
/// with the file and the line the record starts on, instead of buffering the rest of the file. Met in
/// discovery's sample, it fails discovery; met later, the scan.
#[tokio::test]
async fn a_csv_record_longer_than_the_limit_fails_the_read_with_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = |good_rows: usize| {
        let mut text = String::from("Timestamp,DeviceName,RemotePort\n");
        for row in 0..good_rows {
            text.push_str(&format!("2024-05-01T09:59:00Z,pc{row},443\n"));
        }
        text.push_str("2024-05-01T09:59:00Z,\"pc2,443\n");
        for row in 0..20_000 {
            text.push_str(&format!("2024-05-01T09:59:00Z,pc{row},443\n"));
        }
        let path = dir
            .path()
            .join(format!("{good_rows}"))
            .join("DeviceNetworkEvents.csv");
        fs::create_dir_all(path.parent().unwrap()).expect("folder creates");
        fs::write(&path, &text).expect("file writes");
        path
    };
    let early = csv(1);
    let error = DataSet::discover(std::slice::from_ref(&early), &[], limited(64 << 10)).map(|_| ());
    let Err(
        error @ SourceError::BadRecord {
            position: Position::Line(3),
            ..
        },
    ) = error
    else {
        panic!("{error:?}");
    };
    let message = error.to_string();
    assert!(
        message.contains("DeviceNetworkEvents.csv") && message.contains("65536-byte limit"),
        "{message}"
    );

    let late = csv(1500);
    let data = open(&late, limited(64 << 10));
    let error = table(&data, "DeviceNetworkEvents")
        .await
        .collect()
        .await
        .expect_err("the unclosed quote is refused");
    let message = error.to_string();
    assert!(
        message.contains("DeviceNetworkEvents.csv")
            && message.contains("line 1502")
            && message.contains("65536-byte limit"),
        "{message}"
    );
    // Under the default limit the record fits, but its quote never closes: it would swallow the
    // 20,000 lines after it as one malformed record, so the read fails naming file and line.
    let data = open(&late, ReadOptions::default());
    let error = table(&data, "DeviceNetworkEvents")
        .await
        .collect()
        .await
        .expect_err("the unclosed quote is refused");
    let message = error.to_string();
    assert!(
        message.contains("DeviceNetworkEvents.csv")
            && message.contains("line 1502")
            && message.contains("a quoted value is never closed")
            && message.contains("20001 line(s)"),
        "{message}"
    );
}

/// The same unclosed quote in a gzip file, and a quoted value that holds line breaks and closes (a
/// command line written over several lines): the first fails naming file and line, the second reads.
#[tokio::test]
async fn an_unclosed_quote_fails_the_read_and_a_closed_multi_line_value_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("Timestamp,DeviceName,RemoteUrl\n");
    text.push_str("2024-05-01T09:59:00Z,pc1,\"line one\nline \"\"two\"\"\"\n");
    text.push_str("2024-05-01T09:59:00Z,pc2,example.org\n");
    let closed = dir.path().join("closed").join("DeviceNetworkEvents.csv");
    fs::create_dir_all(closed.parent().unwrap()).expect("folder creates");
    fs::write(&closed, &text).expect("file writes");
    let data = open(&closed, ReadOptions::default());
    assert_eq!(rows(&data, "DeviceNetworkEvents").await, 2);

    text.push_str("2024-05-01T09:59:00Z,pc3,\"never closed\n");
    for row in 0..50 {
        text.push_str(&format!("2024-05-01T09:59:00Z,pc{row},example.org\n"));
    }
    let gzipped = dir.path().join("DeviceNetworkEvents.csv.gz");
    gzip(&gzipped, &[text.as_bytes()]);
    let data = open(&gzipped, ReadOptions::default());
    let error = table(&data, "DeviceNetworkEvents")
        .await
        .collect()
        .await
        .expect_err("the unclosed quote is refused");
    let message = error.to_string();
    assert!(
        message.contains("DeviceNetworkEvents.csv.gz")
            && message.contains("line 5")
            && message.contains("never closed"),
        "{message}"
    );
}

/// The issue's "counts that depend on the query": a value nested 100k deep, or a string that is not
/// UTF-8, in a column the query does not read. `count` and a query reading the column agree.
#[tokio::test]
async fn a_malformed_record_is_malformed_whatever_the_query_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let deep = format!(
        r#","AdditionalFields":{}1{}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let mut text = Vec::new();
    text.extend_from_slice(record(1, "").as_bytes());
    text.push(b'\n');
    text.extend_from_slice(record(2, &deep).as_bytes());
    text.push(b'\n');
    text.extend_from_slice(record(3, r#","InitiatingProcessFileName":"tor""#).as_bytes());
    // Invalid UTF-8 inside a string value the queries below do not read.
    let at = text.len() - 4;
    text.insert(at, 0xff);
    text.push(b'\n');
    text.extend_from_slice(record(4, "").as_bytes());
    text.push(b'\n');
    let path = dir.path().join("stream.json");
    fs::write(&path, &text).expect("file writes");

    let data = open(&path, ReadOptions::default());
    let all = rows(&data, "DeviceNetworkEvents").await;
    let reading = table(&data, "DeviceNetworkEvents")
        .await
        .filter(
            ident("AdditionalFields")
                .is_null()
                .or(ident("AdditionalFields").is_not_null()),
        )
        .expect("filter plans")
        .count()
        .await
        .expect("count runs");
    let by_name = table(&data, "DeviceNetworkEvents")
        .await
        .filter(
            ident("InitiatingProcessFileName")
                .is_null()
                .or(ident("InitiatingProcessFileName").is_not_null()),
        )
        .expect("filter plans")
        .count()
        .await
        .expect("count runs");
    assert_eq!((all, reading, by_name), (2, 2, 2));
    // Three scans met the two bad records: each is reported once.
    let (count, reasons) = skipped(&data);
    assert_eq!(count, 2, "{reasons:?}");
    let report = data.report();
    let positions: Vec<Position> = report
        .files()
        .iter()
        .flat_map(|(.., file)| file.reasons.iter().map(|r| r.position))
        .collect();
    assert_eq!(positions, [Position::Line(2), Position::Line(3)]);
}

/// A multi-table file with one broken line, read by scans of several tables (as `hunt` does, one
/// rule after another): the line is reported once, not once per scan.
#[tokio::test]
async fn a_broken_line_of_a_multi_table_file_is_reported_once_per_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let process = r#"{"time":"2024-05-01T10:00:00Z","tenantId":"t1","category":"AdvancedHunting-DeviceProcessEvents","properties":{"ReportId":9,"Timestamp":"2024-05-01T09:59:00Z"}}"#;
    let text = format!("{}\n{{\"time\": oops\n{process}\n", record(1, ""));
    let path = dir.path().join("stream.json");
    fs::write(&path, text).expect("file writes");
    let data = open(&path, ReadOptions::default());
    for _ in 0..2 {
        assert_eq!(rows(&data, "DeviceNetworkEvents").await, 1);
        assert_eq!(rows(&data, "DeviceProcessEvents").await, 1);
    }
    let (count, reasons) = skipped(&data);
    assert_eq!(count, 1, "{reasons:?}");
    let unrouted = data.report().table(UNROUTED);
    assert_eq!(unrouted.len(), 1, "{unrouted:?}");
    assert_eq!(unrouted[0].1.reasons[0].position, Position::Line(2));
}

/// An Event Hub message broken after some of its records loses them all: the report counts every
/// record read before the break and the one it broke in, not one.
#[tokio::test]
async fn a_broken_event_hub_message_counts_every_record_it_loses() {
    let dir = tempfile::tempdir().expect("tempdir");
    let records: Vec<String> = (0..50).map(|id| record(id, "")).collect();
    let broken = format!("{{\"records\":[{},{{\"time\": oops]}}", records.join(","));
    let whole = format!("{{\"records\":[{}]}}", record(99, ""));
    let path = dir.path().join("hub.json");
    fs::write(&path, format!("{broken}\n{whole}\n")).expect("file writes");
    let data = open(&path, ReadOptions::default());
    assert_eq!(rows(&data, "DeviceNetworkEvents").await, 1);
    let (count, reasons) = skipped(&data);
    assert_eq!(count, 51, "{reasons:?}");
    assert!(
        reasons[0].contains("the message's 51 records are skipped"),
        "{reasons:?}"
    );
}

/// `--strict` fails on an incomplete last record (a file still being written), naming file and line;
/// without it the record is reported and skipped.
#[tokio::test]
async fn strict_mode_fails_on_an_incomplete_last_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let full = record(2, "");
    let path = dir.path().join("stream.json");
    fs::write(&path, format!("{}\n{}", record(1, ""), &full[..full.len() / 2])).expect("file writes");
    let lenient = open(&path, ReadOptions::default());
    assert_eq!(rows(&lenient, "DeviceNetworkEvents").await, 1);
    assert_eq!(lenient.report().incomplete_tails(), 1);

    let strict = ReadOptions {
        strict: true,
        ..ReadOptions::default()
    };
    let csv = dir.path().join("DeviceNetworkEvents.csv");
    fs::write(
        &csv,
        "Timestamp,ReportId\n2024-05-01T09:59:00Z,1\n2024-05-01T09:5",
    )
    .expect("file writes");
    for (path, line) in [(path, "line 2"), (csv, "line 3")] {
        let data = open(&path, strict);
        let error = table(&data, "DeviceNetworkEvents")
            .await
            .collect()
            .await
            .expect_err("strict refuses the incomplete record");
        let message = error.to_string();
        assert!(
            message.contains(&*path.file_name().unwrap().to_string_lossy())
                && message.contains(line)
                && message.contains("incomplete last record"),
            "{message}"
        );
    }
}
