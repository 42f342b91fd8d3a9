//! torhunt's own typed Parquet is read through DataFusion's `ParquetSource`, filters pushed into the
//! decoder; other Parquet keeps torhunt's reader. Both readers give the same rows.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, RecordBatch, StringArray};
use datafusion::common::{JoinType, ScalarValue, TableReference};
use datafusion::logical_expr::ScalarUDF;
use datafusion::physical_plan::{ExecutionPlan, displayable};
use datafusion::prelude::{DataFrame, Expr, SessionContext, ident, lit};
use torhunt_sources::{DataSet, ReadOptions, convert_to_parquet};

use crate::{nanos, run_plan, sorted_lines};

const TABLE: &str = "DeviceNetworkEvents";

fn kql_has(column: &str, needle: &str) -> Expr {
    let has: Arc<ScalarUDF> = kql_functions::registry()
        .udfs()
        .0
        .into_iter()
        .find(|f| f.name() == "kql_has")
        .expect("kql_has is registered");
    has.call(vec![ident(column), lit(needle)])
}

/// 300 connections, one a minute; every 100th to a torrent tracker.
fn write_ndjson(dir: &Path) -> PathBuf {
    let lines: Vec<String> = (0..300)
        .map(|i| {
            let url = if i % 100 == 7 {
                "tracker.torrent.example".to_string()
            } else {
                format!("host{i}.example")
            };
            serde_json::json!({
                "Timestamp": format!("2024-05-01T{:02}:{:02}:00Z", i / 60, i % 60),
                "DeviceName": format!("ws{}", i % 4),
                "ActionType": "ConnectionSuccess",
                "RemoteUrl": url,
                "RemotePort": i % 3,
            })
            .to_string()
        })
        .collect();
    let path = dir.join(format!("{TABLE}.json"));
    std::fs::write(&path, lines.join("\n") + "\n").expect("file writes");
    path
}

/// The NDJSON converted by `torhunt convert` (torhunt's own Parquet).
async fn converted(dir: &Path) -> PathBuf {
    let source = write_ndjson(dir);
    let data = DataSet::discover(&[source], &[], ReadOptions::default()).expect("discovery succeeds");
    let out = dir.join("typed");
    convert_to_parquet(&data, &out)
        .await
        .expect("conversion succeeds");
    out
}

enum Query<'a> {
    Filter(Expr),
    JoinOn(&'a [&'a str]),
}

async fn frame(context: &SessionContext, query: &Query<'_>) -> DataFrame {
    let table = context
        .table(TableReference::bare(TABLE))
        .await
        .expect("table exists");
    let frame = match query {
        Query::Filter(filter) => table.filter(filter.clone()).expect("filter plans"),
        Query::JoinOn(keys) => {
            let keys: ArrayRef = Arc::new(StringArray::from(keys.to_vec()));
            context
                .read_batch(RecordBatch::try_from_iter([("Key", keys)]).expect("batch"))
                .expect("keys read")
                .join_on(table, JoinType::Inner, [ident("Key").eq(ident("RemoteUrl"))])
                .expect("join plans")
        }
    };
    frame
        .select_columns(&["Timestamp", "DeviceName", "RemoteUrl", "RemotePort"])
        .expect("columns exist")
}

/// The sorted rows, the physical plan as displayed after the run, and the rows the Parquet decoder's
/// pushed-down filters pruned.
async fn run(dir: &Path, query: &Query<'_>, prefilter: bool) -> (String, String, usize) {
    let options = ReadOptions {
        prefilter,
        ..ReadOptions::default()
    };
    let data = DataSet::discover(&[dir.to_path_buf()], &[], options).expect("discovery succeeds");
    let context = SessionContext::new();
    data.register(&context).expect("tables register");
    let (batches, plan) = run_plan(&context, frame(&context, query).await).await;
    let shown = displayable(plan.as_ref()).indent(true).to_string();
    (sorted_lines(&batches), shown, pruned_by_pushdown(plan.as_ref()))
}

fn pruned_by_pushdown(plan: &dyn ExecutionPlan) -> usize {
    let own = plan
        .metrics()
        .and_then(|m| m.sum_by_name("pushdown_rows_pruned"))
        .map_or(0, |v| v.as_usize());
    own + plan
        .children()
        .into_iter()
        .map(|c| pruned_by_pushdown(c.as_ref()))
        .sum::<usize>()
}

#[tokio::test]
async fn torhunt_parquet_is_read_with_filters_pushed_into_the_decoder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let typed = converted(dir.path()).await;
    let from = lit(ScalarValue::TimestampNanosecond(
        Some(nanos("2024-05-01T02:00:00Z")),
        None,
    ));
    // A relay list's worth of keys (the join hands them to the scan as a hash lookup, not a list).
    let many: Vec<String> = (1..2000)
        .step_by(2)
        .map(|i| format!("host{i}.example"))
        .chain(["tracker.torrent.example".to_string()])
        .collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    for (query, expected_rows) in [
        (Query::Filter(kql_has("RemoteUrl", "torrent")), 3),
        (Query::JoinOn(&many), 150),
        (
            Query::Filter(ident("RemotePort").eq(lit(1)).and(ident("Timestamp").gt_eq(from))),
            60,
        ),
        (Query::JoinOn(&["tracker.torrent.example", "host5.example"]), 4),
    ] {
        let (on, plan, pruned) = run(&typed, &query, true).await;
        let (off, plan_off, _) = run(&typed, &query, false).await;
        assert_eq!(on, off, "{plan}");
        assert_eq!(
            on.lines().filter(|l| l.contains(".example")).count(),
            expected_rows,
            "{on}"
        );
        assert!(
            plan.contains("DataSourceExec")
                && plan.contains("file_type=parquet")
                && plan.contains("predicate="),
            "{plan}"
        );
        assert!(!plan.contains("TelemetryScanExec"), "{plan}");
        assert!(pruned > 0, "the decoder pruned no row: {plan}");
        assert!(
            plan_off.contains("TelemetryScanExec") && !plan_off.contains("file_type=parquet"),
            "{plan_off}"
        );
    }
}

#[tokio::test]
async fn other_parquet_keeps_torhunts_reader() {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = write_ndjson(dir.path());
    let data = DataSet::discover(&[source], &[], ReadOptions::default()).expect("discovery succeeds");
    let foreign = dir.path().join("foreign");
    // Written without the footer's table name, as another tool would.
    crate::layouts::convert_to_parquet_in_row_groups(&data, &foreign, 100).await;
    let query = Query::Filter(kql_has("RemoteUrl", "torrent"));
    let (on, plan, _) = run(&foreign, &query, true).await;
    assert!(
        plan.contains("TelemetryScanExec") && !plan.contains("file_type=parquet"),
        "{plan}"
    );
    assert_eq!(on, run(&foreign, &query, false).await.0);
    assert!(on.contains("tracker.torrent.example"), "{on}");
}

#[tokio::test]
async fn string_columns_are_declared_dictionaries_of_plain_parquet_strings() {
    use datafusion::arrow::datatypes::DataType;
    use datafusion::parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions};
    use datafusion::parquet::basic::{LogicalType, Type as PhysicalType};

    let dir = tempfile::tempdir().expect("temp dir");
    let typed = converted(dir.path()).await;
    let file = std::fs::File::open(typed.join(TABLE).join("part-0.parquet")).expect("converted file");
    let metadata = ArrowReaderMetadata::load(&file, ArrowReaderOptions::default()).expect("footer");
    let url = metadata.schema().field_with_name("RemoteUrl").expect("RemoteUrl");
    assert_eq!(
        url.data_type(),
        &DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
    );
    let port = metadata
        .schema()
        .field_with_name("RemotePort")
        .expect("RemotePort");
    assert_eq!(port.data_type(), &DataType::Int32);
    let leaf = metadata
        .parquet_schema()
        .columns()
        .iter()
        .find(|c| c.name() == "RemoteUrl")
        .expect("RemoteUrl leaf");
    assert_eq!(leaf.physical_type(), PhysicalType::BYTE_ARRAY);
    assert_eq!(leaf.logical_type_ref(), Some(&LogicalType::String));
}

/// A foreign writer's dictionary-encoded strings (pandas' categories, Arrow's dictionary type) read as
/// the strings they hold.
#[tokio::test]
async fn foreign_dictionary_strings_read_as_strings() {
    use datafusion::arrow::compute::cast;
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use datafusion::parquet::arrow::ArrowWriter;

    let dir = tempfile::tempdir().expect("temp dir");
    let source = write_ndjson(dir.path());
    let data = DataSet::discover(&[source], &[], ReadOptions::default()).expect("discovery succeeds");
    let plain = dir.path().join("plain");
    crate::layouts::convert_to_parquet_in_row_groups(&data, &plain, 100).await;
    let categorical = dir.path().join("categorical");
    std::fs::create_dir_all(categorical.join(TABLE)).expect("folder");
    let read = std::fs::File::open(plain.join(TABLE).join("part-0.parquet")).expect("plain file");
    let batches: Vec<RecordBatch> =
        datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReader::try_new(read, 1024)
            .expect("reader")
            .collect::<Result<_, _>>()
            .expect("batches");
    let dictionary = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    let fields: Vec<Field> = batches[0]
        .schema()
        .fields()
        .iter()
        .map(|f| match f.data_type() {
            DataType::Utf8 => Field::new(f.name(), dictionary.clone(), true),
            other => Field::new(f.name(), other.clone(), true),
        })
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let file = std::fs::File::create(categorical.join(TABLE).join("part-0.parquet")).expect("file");
    let mut writer = ArrowWriter::try_new(file, schema.clone(), None).expect("writer");
    for batch in &batches {
        let columns = batch
            .columns()
            .iter()
            .zip(schema.fields())
            .map(|(c, f)| cast(c, f.data_type()).expect("casts"))
            .collect();
        writer
            .write(&RecordBatch::try_new(schema.clone(), columns).expect("batch"))
            .expect("writes");
    }
    writer.close().expect("closes");
    let query = Query::Filter(kql_has("RemoteUrl", "torrent"));
    let (rows, _, _) = run(&categorical, &query, true).await;
    assert_eq!(rows, run(&plain, &query, true).await.0);
    assert_eq!(
        rows.lines()
            .filter(|l| l.contains("tracker.torrent.example"))
            .count(),
        3,
        "{rows}"
    );
}

/// A column of too many distinct values for one dictionary page falls back to plain pages, and is
/// declared a plain string (a reader would otherwise build a dictionary of every row itself).
#[tokio::test]
async fn a_column_of_plain_pages_is_declared_a_plain_string() {
    use datafusion::arrow::datatypes::DataType;
    use datafusion::parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions};

    let dir = tempfile::tempdir().expect("temp dir");
    // 40,000 distinct URLs of about 60 bytes: past the writer's 1 MiB dictionary page.
    let lines: Vec<String> = (0..40_000)
        .map(|i| {
            serde_json::json!({
                "Timestamp": "2024-05-01T00:00:00Z",
                "DeviceName": format!("ws{}", i % 4),
                "RemoteUrl": format!("host{i:08}.some-long-domain-name.example/path/{i:08}"),
            })
            .to_string()
        })
        .collect();
    let source = dir.path().join(format!("{TABLE}.json"));
    std::fs::write(&source, lines.join("\n") + "\n").expect("file writes");
    let data = DataSet::discover(&[source], &[], ReadOptions::default()).expect("discovery succeeds");
    let out = dir.path().join("typed");
    convert_to_parquet(&data, &out)
        .await
        .expect("conversion succeeds");
    let file = std::fs::File::open(out.join(TABLE).join("part-0.parquet")).expect("converted file");
    let metadata = ArrowReaderMetadata::load(&file, ArrowReaderOptions::default()).expect("footer");
    let type_of = |name: &str| {
        metadata
            .schema()
            .field_with_name(name)
            .expect("column")
            .data_type()
            .clone()
    };
    assert_eq!(type_of("RemoteUrl"), DataType::Utf8);
    assert_eq!(
        type_of("DeviceName"),
        DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
    );
    let query = Query::Filter(kql_has("RemoteUrl", "host00012345"));
    let (on, _, _) = run(&out, &query, true).await;
    assert_eq!(on, run(&out, &query, false).await.0);
    assert_eq!(
        on.lines().filter(|l| l.contains("host00012345")).count(),
        1,
        "{on}"
    );
}
