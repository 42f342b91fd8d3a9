//! The elastic sample's records written in every supported layout read back to identical results.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Timelike};
use flate2::Compression;
use flate2::write::GzEncoder;
use kql_types::{INGESTION_TIME_COLUMN, KustoType};
use serde_json::{Map, Value};
use torhunt_sources::{DataSet, ReadOptions, builtin_schema, convert_to_parquet};

use datafusion::arrow::array::AsArray;
use datafusion::arrow::datatypes::TimestampNanosecondType;
use datafusion::common::ScalarValue;
use datafusion::functions_aggregate::expr_fn::{count, max, min};
use datafusion::prelude::{ident, lit};

use crate::{batch, discover, elastic_sample, nanos, provider_table, table, text};

/// One Streaming API record: its table, envelope time and tenant, and columns.
struct Record {
    table: String,
    time: String,
    tenant: String,
    properties: Map<String, Value>,
    raw: Value,
}

fn records(sample: &Path) -> Vec<Record> {
    let text = fs::read_to_string(sample).expect("sample reads");
    text.lines()
        .map(|line| {
            let raw: Value = serde_json::from_str(line).expect("sample lines are JSON");
            let text_of = |key: &str| raw[key].as_str().expect("envelope string").to_string();
            Record {
                table: text_of("category")
                    .trim_start_matches("AdvancedHunting-")
                    .to_string(),
                time: text_of("time"),
                tenant: text_of("tenantId"),
                properties: raw["properties"].as_object().expect("properties object").clone(),
                raw: raw.clone(),
            }
        })
        .collect()
}

fn by_table(records: &[Record]) -> BTreeMap<&str, Vec<&Record>> {
    let mut tables: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    for record in records {
        tables.entry(record.table.as_str()).or_default().push(record);
    }
    tables
}

fn create(path: &Path) -> File {
    fs::create_dir_all(path.parent().expect("a parent")).expect("folder creates");
    File::create(path).expect("file creates")
}

fn write_maybe_gzipped(path: &Path, bytes: &[u8], gzip: bool) {
    let mut file = create(path);
    if gzip {
        let mut encoder = GzEncoder::new(file, Compression::default());
        encoder.write_all(bytes).expect("gzip writes");
        encoder.finish().expect("gzip finishes");
    } else {
        file.write_all(bytes).expect("file writes");
    }
}

/// Event Hub: messages of up to four records, one per line.
fn write_event_hub(dir: &Path, records: &[Record], gzip: bool) -> PathBuf {
    let mut text = String::new();
    for chunk in records.chunks(4) {
        let message =
            serde_json::json!({ "records": chunk.iter().map(|r| r.raw.clone()).collect::<Vec<_>>() });
        text.push_str(&message.to_string());
        text.push('\n');
    }
    let path = dir.join(if gzip { "capture.json.gz" } else { "capture.json" });
    write_maybe_gzipped(&path, text.as_bytes(), gzip);
    path
}

/// Storage account: one folder per table and hour, CRLF-terminated records.
fn write_storage(dir: &Path, records: &[Record]) -> PathBuf {
    let root = dir.join("storage");
    let mut files: BTreeMap<PathBuf, String> = BTreeMap::new();
    for record in records {
        let time = DateTime::parse_from_rfc3339(&record.time).expect("envelope time");
        let path = root.join(format!(
            "insights-logs-advancedhunting-{}/tenantId={}/y={}/m={:02}/d={:02}/h={:02}/m=00/PT1H.json",
            record.table.to_lowercase(),
            record.tenant,
            time.year(),
            time.month(),
            time.day(),
            time.hour()
        ));
        let text = files.entry(path).or_default();
        text.push_str(&record.raw.to_string());
        text.push_str("\r\n");
    }
    for (path, text) in files {
        write_maybe_gzipped(&path, text.as_bytes(), false);
    }
    root
}

/// Flat NDJSON, one file per table named after it.
fn write_ndjson(dir: &Path, records: &[Record]) -> PathBuf {
    let root = dir.join("ndjson");
    for (table, rows) in by_table(records) {
        let mut text = String::new();
        for record in rows {
            let mut row = record.properties.clone();
            row.insert("TimeGenerated".into(), record.time.clone().into());
            row.insert("TenantId".into(), record.tenant.clone().into());
            text.push_str(&Value::Object(row).to_string());
            text.push('\n');
        }
        write_maybe_gzipped(&root.join(format!("{table}.ndjson")), text.as_bytes(), false);
    }
    root
}

#[derive(Clone, Copy, PartialEq)]
enum CsvStyle {
    Portal,
    Sentinel,
}

/// `M/D/YYYY, h:mm:ss.fffffff AM`, Sentinel's export form (with all 7 digits, to compare exactly).
fn sentinel_datetime(iso: &str) -> String {
    let t = DateTime::parse_from_rfc3339(iso)
        .expect("datetime value")
        .to_utc();
    let (pm, hour12) = t.hour12();
    let ticks = t.nanosecond() / 100;
    format!(
        "{}/{}/{}, {}:{:02}:{:02}.{ticks:07} {}",
        t.month(),
        t.day(),
        t.year(),
        hour12,
        t.minute(),
        t.second(),
        if pm { "PM" } else { "AM" }
    )
}

/// CSV exports, one file per table, columns in first-seen order plus TimeGenerated and TenantId.
fn write_csv(dir: &Path, records: &[Record], style: CsvStyle, gzip: bool) -> PathBuf {
    let root = dir.join(if style == CsvStyle::Portal {
        "portal"
    } else {
        "sentinel"
    });
    for (table, rows) in by_table(records) {
        let mut columns: Vec<String> = Vec::new();
        for record in &rows {
            for key in record.properties.keys() {
                if !columns.contains(key) {
                    columns.push(key.clone());
                }
            }
        }
        columns.extend(["TimeGenerated".to_string(), "TenantId".to_string()]);
        let is_datetime = |c: &str| {
            c == "TimeGenerated"
                || builtin_schema(table).and_then(|s| s.kusto_type(c)) == Some(KustoType::DateTime)
        };
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let header: Vec<String> = columns
            .iter()
            .map(|c| {
                if style == CsvStyle::Sentinel && is_datetime(c) {
                    format!("{c} [UTC]")
                } else {
                    c.clone()
                }
            })
            .collect();
        writer.write_record(&header).expect("header writes");
        for record in rows {
            let fields: Vec<String> = columns
                .iter()
                .map(|c| {
                    let value = match c.as_str() {
                        "TimeGenerated" => Value::String(record.time.clone()),
                        "TenantId" => Value::String(record.tenant.clone()),
                        _ => record.properties.get(c).cloned().unwrap_or(Value::Null),
                    };
                    match value {
                        Value::Null => String::new(),
                        Value::String(s) if style == CsvStyle::Sentinel && is_datetime(c) => {
                            sentinel_datetime(&s)
                        }
                        Value::String(s) => s,
                        other => other.to_string(),
                    }
                })
                .collect();
            writer.write_record(&fields).expect("row writes");
        }
        let bytes = writer.into_inner().expect("CSV flushes");
        let name = if gzip {
            format!("{table}.csv.gz")
        } else {
            format!("{table}.csv")
        };
        write_maybe_gzipped(&root.join(name), &bytes, gzip);
    }
    root
}

/// What the comparison looks at: every table's Kusto schema, count and time range, whole rows of three
/// tables, and a filtered aggregate.
async fn observations(data: &DataSet) -> Vec<String> {
    let mut seen = Vec::new();
    for name in data.seen_tables() {
        seen.push(format!("{name}: {:?}", data.kusto_schema(name)));
        let summary = vec![
            count(lit(1)),
            min(ident("Timestamp")),
            max(ident("TimeGenerated")),
            min(ident("Type")),
        ];
        seen.push(text(table(data, name).await.aggregate(vec![], summary).unwrap()).await);
    }
    let by = |columns: &[&str]| {
        columns
            .iter()
            .map(|c| ident(*c).sort(true, false))
            .collect::<Vec<_>>()
    };
    seen.push(
        text(
            table(data, "DeviceNetworkEvents")
                .await
                .sort(by(&["ReportId", "RemoteIP"]))
                .unwrap(),
        )
        .await,
    );
    seen.push(text(table(data, "DeviceInfo").await.sort(by(&["Timestamp"])).unwrap()).await);
    seen.push(text(table(data, "DeviceEvents").await).await);
    let web = ident("RemotePort")
        .in_list(vec![lit(80), lit(443), lit(8080)], false)
        .and(ident("Timestamp").gt(lit(ScalarValue::TimestampNanosecond(
            Some(nanos("2023-01-01T00:00:00Z")),
            None,
        ))));
    let per_action = table(data, "DeviceNetworkEvents")
        .await
        .filter(web)
        .unwrap()
        .aggregate(
            vec![ident("ActionType")],
            vec![count(lit(1)), max(ident("ReportId"))],
        )
        .unwrap()
        .sort(by(&["ActionType"]))
        .unwrap();
    seen.push(text(per_action).await);
    seen
}

#[tokio::test]
async fn every_layout_gives_identical_results() {
    let Some(sample) = elastic_sample() else { return };
    let records = records(&sample);
    let dir = tempfile::tempdir().expect("tempdir");
    let dir = dir.path();

    let event_hub = write_event_hub(dir, &records, false);
    let baseline_data = discover(&[&event_hub]);
    let baseline = observations(&baseline_data).await;
    assert_eq!(
        table(&baseline_data, "DeviceNetworkEvents")
            .await
            .count()
            .await
            .unwrap(),
        17
    );

    let parquet_dir = dir.join("parquet");
    let written = convert_to_parquet(&baseline_data, &parquet_dir)
        .await
        .expect("conversion succeeds");
    assert_eq!(written.iter().map(|w| w.rows).sum::<u64>(), 31);

    let layouts: Vec<(&str, PathBuf)> = vec![
        ("original storage-layout sample", sample.clone()),
        ("event hub, gzip", write_event_hub(dir, &records, true)),
        ("storage folders", write_storage(dir, &records)),
        ("portal CSV", write_csv(dir, &records, CsvStyle::Portal, false)),
        (
            "portal CSV, gzip",
            write_csv(&dir.join("gz"), &records, CsvStyle::Portal, true),
        ),
        (
            "Sentinel CSV",
            write_csv(dir, &records, CsvStyle::Sentinel, false),
        ),
        ("NDJSON", write_ndjson(dir, &records)),
        ("Parquet", parquet_dir),
    ];
    for (layout, path) in layouts {
        let data = discover(&[&path]);
        assert_eq!(data.report().skipped(), 0, "{layout}");
        let seen = observations(&data).await;
        assert_eq!(seen.len(), baseline.len(), "{layout}: tables differ");
        for (got, want) in seen.iter().zip(&baseline) {
            assert_eq!(got, want, "{layout}");
        }
    }
}

#[tokio::test]
async fn formats_are_sniffed_from_content_not_names() {
    let Some(sample) = elastic_sample() else { return };
    let records = records(&sample);
    let dir = tempfile::tempdir().expect("tempdir");
    let csv_dir = write_csv(dir.path(), &records, CsvStyle::Sentinel, false);
    // A Sentinel CSV named .json and a gzip file without .gz are still read for what they are.
    let misnamed = dir.path().join("DeviceInfo.json");
    fs::copy(csv_dir.join("DeviceInfo.csv"), &misnamed).expect("copy");
    let hub = write_event_hub(dir.path(), &records, true);
    let hub_without_suffix = dir.path().join("capture.bin");
    fs::copy(&hub, &hub_without_suffix).expect("copy");
    let data = discover(&[&misnamed, &hub_without_suffix]);
    let formats: Vec<Vec<&str>> = data
        .summary()
        .iter()
        .filter(|s| s.table == "DeviceInfo")
        .map(|s| s.formats.clone())
        .collect();
    assert_eq!(formats, vec![vec!["mde-eventhub-json", "sentinel-csv"]]);
    assert_eq!(table(&data, "DeviceInfo").await.count().await.unwrap(), 4);
}

fn discover_split(path: &Path, split_bytes: u64) -> DataSet {
    let options = ReadOptions {
        split_bytes,
        ..ReadOptions::default()
    };
    DataSet::discover(&[path.to_path_buf()], &[], options).expect("discovery succeeds")
}

#[tokio::test]
async fn large_files_split_into_line_aligned_ranges_read_the_same() {
    let Some(sample) = elastic_sample() else { return };
    let whole = discover(&[&sample]);
    let split = discover_split(&sample, 1000);
    assert_eq!(observations(&split).await, observations(&whole).await);
    // CSV (whose header is longer than some ranges) and Parquet (one row group per range) too.
    let dir = tempfile::tempdir().expect("tempdir");
    let csv_dir = write_csv(dir.path(), &records(&sample), CsvStyle::Portal, false);
    for split_bytes in [97, 1000, 4096] {
        let split = discover_split(&csv_dir, split_bytes);
        assert_eq!(
            observations(&split).await,
            observations(&whole).await,
            "CSV in {split_bytes}-byte ranges"
        );
        assert_eq!(split.report().skipped(), 0);
    }
    let parquet_dir = dir.path().join("parquet");
    convert_to_parquet_in_row_groups(&whole, &parquet_dir, 3).await;
    let parquet = discover(&[&parquet_dir]);
    assert_eq!(
        observations(&parquet).await,
        observations(&whole).await,
        "Parquet by row group"
    );
}

/// Writes each table as Parquet with `rows` rows per row group.
pub(crate) async fn convert_to_parquet_in_row_groups(data: &DataSet, dir: &Path, rows: usize) {
    use datafusion::parquet::arrow::ArrowWriter;
    use datafusion::parquet::file::properties::WriterProperties;
    for (name, _) in data.tables() {
        let batches = table(data, name).await.collect().await.expect("table reads");
        let Some(first) = batches.first() else { continue };
        fs::create_dir_all(dir.join(name)).expect("folder");
        let file = create(&dir.join(name).join("part-0.parquet"));
        let properties = WriterProperties::builder()
            .set_max_row_group_row_count(Some(rows))
            .build();
        let mut writer = ArrowWriter::try_new(file, first.schema(), Some(properties)).expect("writer");
        for batch in &batches {
            writer.write(batch).expect("write");
        }
        writer.close().expect("close");
    }
}

#[tokio::test]
async fn a_quoted_line_break_at_a_split_point_fails_the_read_rather_than_misreading() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("DeviceNetworkEvents.csv");
    let script = "line one\nline two\nline three\nline four\nline five\nline six";
    let mut text = String::from("Timestamp,ReportId,InitiatingProcessCommandLine\r\n");
    for report_id in 1..=20 {
        text.push_str(&format!(
            "2024-05-01T10:00:00Z,{report_id},\"powershell -c \"\"{script}\"\"\"\r\n"
        ));
    }
    fs::write(&path, text).expect("file writes");
    let whole = discover_split(&path, u64::MAX);
    assert_eq!(
        table(&whole, "DeviceNetworkEvents").await.count().await.unwrap(),
        20
    );
    let split = discover_split(&path, 64);
    let error = table(&split, "DeviceNetworkEvents")
        .await
        .count()
        .await
        .expect_err("ranges starting inside a quoted value are detected");
    assert!(
        error
            .to_string()
            .contains("a quoted value holds a line break near byte"),
        "{error}"
    );
}

/// Streaming API records keep their envelope `time` as the hidden ingestion-time column (what
/// `ingestion_time()` reads), through Parquet conversion too; CSV exports have none, and no layout
/// shows it among a table's columns.
#[tokio::test]
async fn streaming_api_records_keep_their_envelope_time_as_ingestion_time() {
    let Some(sample) = elastic_sample() else { return };
    let records = records(&sample);
    let dir = tempfile::tempdir().expect("tempdir");
    let event_hub = write_event_hub(dir.path(), &records, false);
    let data = discover(&[&event_hub]);
    let parquet_dir = dir.path().join("parquet");
    convert_to_parquet(&data, &parquet_dir)
        .await
        .expect("conversion succeeds");
    let converted = discover(&[&parquet_dir]);
    for (table_name, table_records) in by_table(&records) {
        let mut expected: Vec<i64> = table_records.iter().map(|r| nanos(&r.time)).collect();
        expected.sort_unstable();
        for (layout, data) in [("event hub", &data), ("parquet", &converted)] {
            let schema = data.kusto_schema(table_name).expect("table");
            assert!(
                schema.iter().all(|(name, _)| name != INGESTION_TIME_COLUMN),
                "{layout}: {table_name} shows the hidden column"
            );
            let frame = provider_table(data, table_name)
                .await
                .select(vec![ident(INGESTION_TIME_COLUMN)])
                .expect("the hidden column is there");
            let batch = batch(frame).await;
            let times = batch.column(0).as_primitive::<TimestampNanosecondType>();
            let mut got: Vec<i64> = times
                .iter()
                .map(|t| t.expect("every record has a time"))
                .collect();
            got.sort_unstable();
            assert_eq!(got, expected, "{layout}: {table_name}");
        }
    }
    let csv = discover(&[&write_csv(dir.path(), &records, CsvStyle::Sentinel, false)]);
    let frame = provider_table(&csv, "DeviceNetworkEvents").await;
    assert!(
        frame
            .schema()
            .field_with_unqualified_name(INGESTION_TIME_COLUMN)
            .is_err(),
        "a CSV export has no ingestion time"
    );
}
