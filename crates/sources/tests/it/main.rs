//! Integration tests of torhunt-sources against the real Defender samples and files written in every
//! supported layout.

#![allow(clippy::unwrap_used, reason = "a panic fails the test")]

mod bad_input;
mod catalog;
mod discovery;
mod layouts;
mod limits;
mod mapped;
mod parquet_pushdown;
mod prefilter;
mod pruning;
mod samples;
mod shared_reads;
mod time_prefilter;

use std::path::{Path, PathBuf};

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::arrow::util::pretty::pretty_format_batches;
use datafusion::common::TableReference;
use datafusion::prelude::{DataFrame, Expr, SessionContext};
use kql_types::INGESTION_TIME_COLUMN;
use torhunt_sources::{DataSet, ReadOptions};

/// The real Defender samples of `../shared/fixtures/mde`, or `None` when the test skips (see
/// `shared-fixtures`).
pub fn fixtures() -> Option<PathBuf> {
    shared_fixtures::path("fixtures/mde")
}

/// A folder of `../shared/fixtures` (`zeek-tsv`, `sysmon-evtx`, ...), or `None` when the test skips.
pub fn fixture_dir(folder: &str) -> Option<PathBuf> {
    shared_fixtures::path(&format!("fixtures/{folder}"))
}

pub fn elastic_sample() -> Option<PathBuf> {
    fixtures().map(|d| d.join("elastic-m365-streaming-device.ndjson"))
}

pub fn discover(paths: &[&Path]) -> DataSet {
    let paths: Vec<PathBuf> = paths.iter().map(|p| p.to_path_buf()).collect();
    DataSet::discover(&paths, &[], ReadOptions::default()).expect("discovery succeeds")
}

/// A table of the data set as a DataFusion data frame (DataFusion is built without SQL here: torhunt
/// lowers KQL to plans directly), with the columns queries see (not the hidden ingestion time).
pub async fn table(data: &DataSet, name: &str) -> DataFrame {
    provider_table(data, name)
        .await
        .drop_columns(&[INGESTION_TIME_COLUMN])
        .expect("column drops")
}

/// Every column of a table's provider, the hidden ones too.
pub async fn provider_table(data: &DataSet, name: &str) -> DataFrame {
    let context = SessionContext::new();
    data.register(&context).expect("tables register");
    context
        .table(TableReference::bare(name))
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Rows of `name` matching `filter`.
pub async fn count(data: &DataSet, name: &str, filter: Expr) -> usize {
    table(data, name)
        .await
        .filter(filter)
        .expect("filter plans")
        .count()
        .await
        .expect("count runs")
}

/// A data frame's result as a printed table.
pub async fn text(frame: DataFrame) -> String {
    let batches = frame.collect().await.expect("query runs");
    pretty_format_batches(&batches)
        .expect("batches print")
        .to_string()
}

/// Plans a data frame and runs the plan: the batches, and the plan (with what the run recorded in it).
pub async fn run_plan(
    context: &SessionContext,
    frame: DataFrame,
) -> (
    Vec<RecordBatch>,
    std::sync::Arc<dyn datafusion::physical_plan::ExecutionPlan>,
) {
    let plan = frame.create_physical_plan().await.expect("plans");
    let batches = datafusion::physical_plan::collect(plan.clone(), context.task_ctx())
        .await
        .expect("query runs");
    (batches, plan)
}

/// Batches printed as a table whose lines are sorted (rows in no particular order compare equal).
pub fn sorted_lines(batches: &[RecordBatch]) -> String {
    let mut lines: Vec<String> = pretty_format_batches(batches)
        .expect("batches print")
        .to_string()
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    lines.join("\n")
}

/// A data frame's result as one batch.
pub async fn batch(frame: DataFrame) -> RecordBatch {
    let batches: Vec<RecordBatch> = frame.collect().await.expect("query runs");
    let schema = batches.first().map(|b| b.schema()).expect("at least one batch");
    datafusion::arrow::compute::concat_batches(&schema, &batches).expect("batches concatenate")
}

/// Nanoseconds since the epoch of an RFC 3339 datetime, parsed by chrono (independent of the readers).
pub fn nanos(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .expect("valid datetime")
        .timestamp_nanos_opt()
        .expect("in range")
}
