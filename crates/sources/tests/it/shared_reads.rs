//! One pass per file: a query reading several tables of the same multi-table files reads each part
//! of a file once, with exactly the rows and read report of separate passes.

use std::io::Write;
use std::path::{Path, PathBuf};

use datafusion::arrow::util::pretty::pretty_format_batches;
use datafusion::common::{JoinType, TableReference};
use datafusion::prelude::{DataFrame, Expr, SessionContext, ident, lit};
use proptest::prelude::*;
use serde_json::Value;
use torhunt_sources::{DataSet, FileReport, ReadOptions, SharedReadCounts};

use crate::elastic_sample;

/// Tables of the real sample (Streaming API records of ten tables), with rows in it.
const TABLES: [&str; 5] = [
    "DeviceNetworkEvents",
    "DeviceProcessEvents",
    "DeviceImageLoadEvents",
    "DeviceRegistryEvents",
    "DeviceInfo",
];

/// The real sample's records.
fn sample_records() -> Option<Vec<Value>> {
    let text = std::fs::read_to_string(elastic_sample()?).expect("sample reads");
    Some(
        text.lines()
            .map(|line| serde_json::from_str(line).expect("sample line is JSON"))
            .collect(),
    )
}

/// Streaming API records of the tables, shaped as the real sample's, for checkouts without it.
fn generated_records() -> Vec<Value> {
    (0..40)
        .map(|i| {
            let table = TABLES[i % TABLES.len()];
            let time = format!("2024-05-01T10:{:02}:00.1234567Z", i);
            serde_json::json!({
                "time": time,
                "tenantId": "8f2f6e8e-5a4b-4d0e-9d1b-1c2d3e4f5a6b",
                "operationName": "Publish",
                "category": format!("AdvancedHunting-{table}"),
                "properties": {
                    "Timestamp": time,
                    "DeviceId": format!("device{}", i % 3),
                    "DeviceName": if i % 2 == 0 { "testmachine5" } else { "testmachine7" },
                    "ActionType": "ConnectionSuccess",
                    "RemotePort": 443 + i,
                    "ReportId": i,
                }
            })
        })
        .collect()
}

/// The record sets the tests run on: generated ones, and the real sample's where `../shared` is.
fn record_sets() -> Vec<Vec<Value>> {
    std::iter::once(generated_records())
        .chain(sample_records())
        .collect()
}

/// The records as Event Hub messages of `per_message` records, one per line, plus `extra` lines.
fn write_event_hub(dir: &Path, records: &[Value], per_message: usize, extra: &[&str], gzip: bool) -> PathBuf {
    let mut text = String::new();
    for chunk in records.chunks(per_message.max(1)) {
        text.push_str(&serde_json::json!({ "records": chunk }).to_string());
        text.push('\n');
    }
    for line in extra {
        text.push_str(line);
        text.push('\n');
    }
    let path = dir.join(if gzip { "capture.json.gz" } else { "capture.json" });
    let mut file = std::fs::File::create(&path).expect("file creates");
    if gzip {
        let mut encoder = flate2::write::GzEncoder::new(file, flate2::Compression::default());
        encoder.write_all(text.as_bytes()).expect("gzip writes");
        encoder.finish().expect("gzip finishes");
    } else {
        file.write_all(text.as_bytes()).expect("file writes");
    }
    path
}

#[derive(Debug, Clone)]
enum Query {
    /// The tables' rows (with the table's name), each filtered by the filter if given.
    Union(Vec<&'static str>, Option<Expr>),
    /// An inner join of two tables on DeviceId.
    Join(&'static str, &'static str),
}

/// What a run gave and reported.
#[derive(Debug)]
struct Run {
    rows: Result<String, String>,
    files: Vec<(String, PathBuf, FileReport)>,
    opened: u64,
    shared: SharedReadCounts,
}

fn options(shared_reads: bool) -> ReadOptions {
    ReadOptions {
        shared_reads,
        ..ReadOptions::default()
    }
}

fn run(paths: &[PathBuf], options: ReadOptions, query: &Query) -> Run {
    let data = DataSet::discover(paths, &[], options).expect("discovery succeeds");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let rows = runtime.block_on(async {
        let context = SessionContext::new();
        data.register(&context).expect("tables register");
        let frame = frame(&context, query).await.map_err(|e| e.to_string())?;
        let batches = frame.collect().await.map_err(|e| e.to_string())?;
        let mut lines: Vec<String> = pretty_format_batches(&batches)
            .map_err(|e| e.to_string())?
            .to_string()
            .lines()
            .map(str::to_string)
            .collect();
        lines.sort();
        Ok(lines.join("\n"))
    });
    let report = data.report();
    Run {
        rows,
        files: report.files(),
        opened: report.files_opened(),
        shared: report.shared_reads(),
    }
}

async fn frame(context: &SessionContext, query: &Query) -> datafusion::error::Result<DataFrame> {
    let columns = |table: &str| {
        vec![
            ident("Timestamp"),
            ident("DeviceId"),
            ident("DeviceName"),
            lit(table.to_string()).alias("Table"),
        ]
    };
    match query {
        Query::Union(tables, filter) => {
            let mut union: Option<DataFrame> = None;
            for table in tables {
                let mut frame = context.table(TableReference::bare(*table)).await?;
                if let Some(filter) = filter {
                    frame = frame.filter(filter.clone())?;
                }
                let frame = frame.select(columns(table))?;
                union = Some(match union {
                    Some(union) => union.union(frame)?,
                    None => frame,
                });
            }
            Ok(union.expect("at least one table"))
        }
        Query::Join(build, probe) => {
            let left = context
                .table(TableReference::bare(*build))
                .await?
                .select(columns(build))?;
            let right = context.table(TableReference::bare(*probe)).await?.select(vec![
                ident("DeviceId").alias("ProbeDeviceId"),
                ident("Timestamp").alias("ProbeTimestamp"),
            ])?;
            left.join_on(
                right,
                JoinType::Inner,
                [ident("DeviceId").eq(ident("ProbeDeviceId"))],
            )
        }
    }
}

/// Runs a query with shared reads on and off: the same rows and read report; returns both runs.
fn compare(paths: &[PathBuf], base: ReadOptions, query: &Query) -> (Run, Run) {
    let shared = run(
        paths,
        ReadOptions {
            shared_reads: true,
            ..base
        },
        query,
    );
    let alone = run(
        paths,
        ReadOptions {
            shared_reads: false,
            ..base
        },
        query,
    );
    assert!(shared.rows.is_ok(), "{query:?}: {:?}", shared.rows);
    assert_eq!(shared.rows, alone.rows, "rows differ for {query:?}");
    assert_eq!(shared.files, alone.files, "read reports differ for {query:?}");
    assert_eq!(alone.shared, SharedReadCounts::default());
    (shared, alone)
}

#[test]
fn three_tables_of_one_event_hub_file_are_read_in_one_pass() {
    for records in record_sets() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_event_hub(dir.path(), &records, 4, &[], false);
        let query = Query::Union(TABLES[..3].to_vec(), None);
        let (shared, alone) = compare(&[path], options(true), &query);
        assert!(shared.rows.as_ref().unwrap().contains("DeviceImageLoadEvents"));
        assert_eq!(alone.opened, 3, "each table's scan opens the file");
        assert_eq!(shared.opened, 1, "one pass reads the file for the three tables");
        assert_eq!(
            shared.shared,
            SharedReadCounts {
                shared_passes: 1,
                reads_saved: 2,
                over_budget: 0
            }
        );
    }
}

#[test]
fn the_real_sample_is_read_once_for_every_table_a_query_reads() {
    let Some(sample) = elastic_sample() else { return };
    let query = Query::Union(TABLES.to_vec(), None);
    let (shared, alone) = compare(&[sample], options(true), &query);
    assert_eq!((shared.opened, alone.opened), (1, TABLES.len() as u64));
}

#[test]
fn a_filter_on_each_table_keeps_its_own_prefilter_in_the_shared_pass() {
    for records in record_sets() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_event_hub(dir.path(), &records, 3, &[], true);
        let filter = ident("DeviceName").eq(lit("testmachine5"));
        let (shared, _) = compare(
            &[path],
            options(true),
            &Query::Union(TABLES[..3].to_vec(), Some(filter)),
        );
        assert_eq!(shared.opened, 1);
        assert!(
            shared.files.iter().any(|(_, _, file)| file.skipped_unparsed > 0),
            "the prefilter still skips records: {:?}",
            shared.files
        );
    }
}

#[test]
fn a_join_of_two_tables_of_the_same_file_gives_the_same_answer() {
    for records in record_sets() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_event_hub(dir.path(), &records, 4, &[], false);
        let query = Query::Join("DeviceProcessEvents", "DeviceNetworkEvents");
        let (shared, _) = compare(std::slice::from_ref(&path), options(true), &query);
        assert!(shared.rows.as_ref().unwrap().contains("DeviceProcessEvents"));
        // The probe side's join filter is not final when the build side reads the file: it reads alone.
        assert_eq!(shared.opened, 2);
        // Without the prefilter no join filter reaches the scan: the build side's pass keeps the probe
        // side's rows until the join polls it.
        let unfiltered = ReadOptions {
            prefilter: false,
            ..options(true)
        };
        let (shared, _) = compare(&[path], unfiltered, &query);
        assert_eq!(shared.opened, 1);
        assert_eq!(shared.shared.reads_saved, 1);
    }
}

#[test]
fn rows_over_the_budget_are_dropped_and_read_again() {
    for records in record_sets() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_event_hub(dir.path(), &records, 4, &[], false);
        let tiny = ReadOptions {
            shared_read_budget: 1,
            ..options(true)
        };
        let (shared, _) = compare(&[path], tiny, &Query::Union(TABLES[..3].to_vec(), None));
        assert_eq!(shared.opened, 3, "the two other tables read the file again");
        assert_eq!(shared.shared.over_budget, 2);
        assert_eq!(shared.shared.reads_saved, 0);
    }
}

/// A record of DeviceNetworkEvents whose port is not a number; a line that is not JSON; and valid JSON
/// lines a parser refuses as messages or records: an element of `records` that is not an object, and
/// `properties` that is not an object, before and after `category`.
fn with_malformed(records: &[Value]) -> (Vec<Value>, Vec<&'static str>) {
    let mut records = records.to_vec();
    let bad = records
        .iter()
        .position(|r| r["category"] == "AdvancedHunting-DeviceNetworkEvents")
        .expect("a network record");
    records[bad]["properties"]["RemotePort"] = Value::from("not a port");
    let lines = vec![
        r#"{"records":[{"category":"AdvancedHunting-DeviceProcessEvents","#,
        r#"{"records":[1,{"category":"AdvancedHunting-DeviceInfo","properties":{}}]}"#,
        r#"{"records":[{"properties":"x","category":"AdvancedHunting-DeviceInfo"}]}"#,
        r#"{"records":[{"category":"AdvancedHunting-DeviceInfo","properties":"x"},{"category":"AdvancedHunting-DeviceNetworkEvents","properties":{"DeviceName":"kept"}}]}"#,
    ];
    (records, lines)
}

#[test]
fn malformed_records_are_counted_once_per_table_as_with_separate_passes() {
    for records in record_sets() {
        let (records, extra) = with_malformed(&records);
        let dir = tempfile::tempdir().unwrap();
        let path = write_event_hub(dir.path(), &records, 4, &extra, false);
        let query = Query::Union(TABLES[..3].to_vec(), None);
        let (shared, _) = compare(&[path], options(true), &query);
        assert_eq!(shared.opened, 1);
        let skipped: Vec<(&str, u64)> = shared
            .files
            .iter()
            .filter(|(_, _, file)| file.skipped > 0)
            .map(|(table, _, file)| (table.as_str(), file.skipped))
            .collect();
        // Three lines refused whole (their table cannot be told), one record of DeviceNetworkEvents.
        assert_eq!(skipped, [("(unrouted)", 3), ("DeviceNetworkEvents", 1)]);
        assert!(shared.rows.as_ref().unwrap().contains("kept"));
    }
}

#[test]
fn strict_fails_on_the_first_malformed_record_with_shared_reads_too() {
    for records in record_sets() {
        let (records, _) = with_malformed(&records);
        let dir = tempfile::tempdir().unwrap();
        let path = write_event_hub(dir.path(), &records, 4, &[], false);
        // The malformed record is DeviceNetworkEvents's: whichever table's scan leads the pass, the query
        // fails naming it, as it does with separate passes. (The reports are not compared: with separate
        // passes, whether the other table's scan finished before the query failed is a race.)
        for tables in [
            vec!["DeviceNetworkEvents", "DeviceProcessEvents"],
            vec!["DeviceProcessEvents", "DeviceNetworkEvents"],
        ] {
            let query = Query::Union(tables, None);
            let errors = [true, false].map(|shared_reads| {
                let strict = ReadOptions {
                    strict: true,
                    ..options(shared_reads)
                };
                run(std::slice::from_ref(&path), strict, &query).rows.unwrap_err()
            });
            assert!(
                errors[0].contains("line") && errors[0].contains("RemotePort"),
                "{}",
                errors[0]
            );
            assert_eq!(errors[0], errors[1]);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn rows_and_reports_are_the_same_with_shared_reads_on_and_off(
        tables in proptest::sample::subsequence(TABLES.to_vec(), 1..=TABLES.len()),
        per_message in 1usize..6,
        gzip in any::<bool>(),
        filtered in any::<bool>(),
        malformed in any::<bool>(),
        prefilter in any::<bool>(),
        join in any::<bool>(),
        budget in prop_oneof![3 => Just(torhunt_sources::DEFAULT_SHARED_READ_BUDGET), 1 => 0u64..20_000],
        files in 1usize..4,
        split_bytes in prop_oneof![2 => Just(u64::MAX), 1 => 300u64..3000],
    ) {
        for records in record_sets() {
            let (records, extra) = if malformed { with_malformed(&records) } else { (records, Vec::new()) };
            // Several files (several scan partitions), large ones in several byte ranges.
            let dir = tempfile::tempdir().unwrap();
            let paths: Vec<PathBuf> = records
                .chunks(records.len().div_ceil(files))
                .enumerate()
                .map(|(index, part)| {
                    let folder = dir.path().join(format!("part{index}"));
                    std::fs::create_dir(&folder).unwrap();
                    let extra: &[&str] = if index == 0 { &extra } else { &[] };
                    write_event_hub(&folder, part, per_message, extra, gzip)
                })
                .collect();
            let query = match (join, tables.as_slice()) {
                (true, [build, probe, ..]) => Query::Join(build, probe),
                _ => Query::Union(tables.clone(), filtered.then(|| ident("DeviceName").eq(lit("testmachine5")))),
            };
            let base = ReadOptions { prefilter, shared_read_budget: budget, split_bytes, ..options(true) };
            compare(&paths, base, &query);
        }
    }
}
