//! What the `torhunt sources` and `torhunt convert` commands do: per-table statistics through a
//! DataFusion query, and typed Parquet output that reads back to identical query results.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};

use datafusion::arrow::array::{Array, Int64Array, TimestampNanosecondArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::TableReference;
use datafusion::common::cast::{as_int64_array, as_timestamp_nanosecond_array};
use datafusion::functions_aggregate::expr_fn::{count, max, min};
use datafusion::parquet::arrow::arrow_writer::ArrowWriterOptions;
use datafusion::parquet::arrow::{ARROW_SCHEMA_META_KEY, ArrowWriter, encode_arrow_schema};
use datafusion::parquet::basic::{Compression, ZstdLevel};
use datafusion::parquet::basic::{Encoding, PageType};
use datafusion::parquet::file::metadata::{ColumnChunkMetaData, KeyValue, RowGroupMetaData};
use datafusion::parquet::file::properties::WriterProperties;
use datafusion::prelude::{SessionContext, ident, lit};
use futures::StreamExt;
use kql_types::KustoType;

use crate::discover::DataSet;
use crate::error::{Result, SourceError};
use crate::read::TABLE_METADATA_KEY;
use crate::schema::{TIME_GENERATED, TIMESTAMP};

/// A null datetime, the time range of a table without a time column.
fn null_time() -> datafusion::prelude::Expr {
    lit(datafusion::common::ScalarValue::TimestampNanosecond(None, None))
}

/// Rows and time range of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableStats {
    pub table: String,
    pub rows: u64,
    /// Earliest and latest `Timestamp`, ns since the epoch (UTC).
    pub earliest: Option<i64>,
    pub latest: Option<i64>,
}

/// Counts the rows of every table the data is known to hold ([`DataSet::seen_tables`]) and its time
/// range: `Timestamp`, or `TimeGenerated` for the Sentinel tables that have no `Timestamp`.
pub async fn table_stats(data: &DataSet) -> Result<Vec<TableStats>> {
    let context = SessionContext::new();
    data.register(&context)?;
    let mut stats = Vec::new();
    for table in data.seen_tables() {
        let Some(telemetry) = data.table(table) else {
            continue;
        };
        let schema = telemetry.kusto_schema();
        let time = [TIMESTAMP, TIME_GENERATED]
            .into_iter()
            .find(|c| schema.kusto_type(c) == Some(KustoType::DateTime));
        let (earliest, latest) = match time {
            Some(column) => (min(ident(column)), max(ident(column))),
            None => (null_time(), null_time()),
        };
        let frame = context.table(TableReference::bare(table)).await?.aggregate(
            vec![],
            vec![
                count(lit(1)).alias("rows"),
                earliest.alias("earliest"),
                latest.alias("latest"),
            ],
        )?;
        let batches = frame.collect().await?;
        let Some(batch) = batches.iter().find(|b| b.num_rows() > 0) else {
            continue;
        };
        let rows = as_int64_array(batch.column(0))?;
        let earliest = as_timestamp_nanosecond_array(batch.column(1))?;
        let latest = as_timestamp_nanosecond_array(batch.column(2))?;
        stats.push(TableStats {
            table: table.to_string(),
            rows: first_value(rows).and_then(|r| u64::try_from(r).ok()).unwrap_or(0),
            earliest: first_timestamp(earliest),
            latest: first_timestamp(latest),
        });
    }
    Ok(stats)
}

fn first_value(array: &Int64Array) -> Option<i64> {
    array.is_valid(0).then(|| array.value(0))
}

fn first_timestamp(array: &TimestampNanosecondArray) -> Option<i64> {
    array.is_valid(0).then(|| array.value(0))
}

/// A datetime as Kusto prints it: ISO 8601 UTC with 7 fraction digits.
pub fn kusto_datetime_text(nanos: i64) -> String {
    kql_types::time::format_datetime_fixed(nanos)
}

/// How torhunt's Parquet declares a string column to Arrow readers when every page of it is
/// dictionary-encoded (the writer's default, up to a dictionary page's size limit): a dictionary of
/// strings. Readers then hand the column over as keys into each row group's distinct values, and
/// filters on it run once per value (`per_distinct_value`); the values in the file are plain Parquet
/// strings to every other reader. A column of many distinct values falls back to plain pages, and is
/// declared a plain string: a reader would otherwise build a dictionary of every row's value itself.
pub(crate) fn string_column_type() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
}

/// The Arrow schema written into the file: the batches' schema, the string columns named in
/// `dictionary_encoded` declared [`string_column_type`].
fn declared_schema(schema: &Schema, dictionary_encoded: &HashSet<String>) -> Schema {
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .map(|field| match field.data_type() {
            DataType::Utf8 if dictionary_encoded.contains(field.name()) => {
                field.as_ref().clone().with_data_type(string_column_type())
            }
            _ => field.as_ref().clone(),
        })
        .collect();
    Schema::new_with_metadata(fields, schema.metadata().clone())
}

/// The columns every data page of which, in every row group, is dictionary-encoded.
fn dictionary_encoded_columns(row_groups: &[RowGroupMetaData]) -> HashSet<String> {
    let dictionary_page =
        |encoding: &Encoding| matches!(encoding, Encoding::PLAIN_DICTIONARY | Encoding::RLE_DICTIONARY);
    let all_pages_dictionary = |column: &ColumnChunkMetaData| {
        column.dictionary_page_offset().is_some()
            && match (column.page_encoding_stats(), column.page_encoding_stats_mask()) {
                (Some(stats), _) => stats
                    .iter()
                    .filter(|s| matches!(s.page_type, PageType::DATA_PAGE | PageType::DATA_PAGE_V2))
                    .all(|s| dictionary_page(&s.encoding)),
                (None, Some(mask)) => {
                    mask.is_only(Encoding::RLE_DICTIONARY) || mask.is_only(Encoding::PLAIN_DICTIONARY)
                }
                (None, None) => false,
            }
    };
    let Some(first) = row_groups.first() else {
        return HashSet::new();
    };
    (0..first.num_columns())
        .filter(|&leaf| {
            row_groups
                .iter()
                .all(|group| leaf < group.num_columns() && all_pages_dictionary(group.column(leaf)))
        })
        .map(|leaf| first.column(leaf).column_path().string())
        .collect()
}

/// One table written by [`convert_to_parquet`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvertedTable {
    pub table: String,
    pub path: PathBuf,
    pub rows: u64,
}

/// Rows per Parquet row group written by [`convert_to_parquet`].
const ROW_GROUP_ROWS: usize = 128 * 1024;

/// Writes every table to `out_dir/<Table>/part-0.parquet` (replacing an earlier conversion), fields
/// tagged with their Kusto types and the file with its table, so the output reads back as the same
/// tables with the same query results. Catalog tables no file feeds are not written, nor are the ones
/// multi-table files feed but hold no record of.
pub async fn convert_to_parquet(data: &DataSet, out_dir: &Path) -> Result<Vec<ConvertedTable>> {
    let context = SessionContext::new();
    let mut written = Vec::new();
    let seen: Vec<&str> = data.seen_tables().collect();
    for (table, provider) in data.tables() {
        if data.table(table).is_none_or(|t| !t.is_fed()) {
            continue;
        }
        let dir = out_dir.join(table);
        std::fs::create_dir_all(&dir).map_err(|e| SourceError::io(&dir, e))?;
        let path = dir.join("part-0.parquet");
        let provider_schema = provider.schema();
        let metadata = HashMap::from([(TABLE_METADATA_KEY.to_string(), table.to_string())]);
        let schema = std::sync::Arc::new(Schema::new_with_metadata(
            provider_schema.fields().clone(),
            metadata,
        ));
        let file = File::create(&path).map_err(|e| SourceError::io(&path, e))?;
        // Row groups of 128Ki rows: scans read one row group per partition, so a table of a million
        // rows keeps every core busy (the writer's default is a million rows per group).
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .build();
        // The Arrow schema goes into the footer once the pages' encodings are known.
        let options = ArrowWriterOptions::new()
            .with_properties(properties)
            .with_skip_arrow_metadata(true);
        let parquet_error = |error| SourceError::parquet(path.clone(), error);
        let mut writer =
            ArrowWriter::try_new_with_options(file, schema.clone(), options).map_err(parquet_error)?;
        let mut stream = context.read_table(provider)?.execute_stream().await?;
        let mut rows = 0u64;
        while let Some(batch) = stream.next().await {
            let batch = batch?;
            rows += batch.num_rows() as u64;
            let batch = RecordBatch::try_new(schema.clone(), batch.columns().to_vec())
                .map_err(|e| SourceError::DataFusion(e.into()))?;
            writer.write(&batch).map_err(parquet_error)?;
        }
        writer.flush().map_err(parquet_error)?;
        let dictionary_encoded = dictionary_encoded_columns(writer.flushed_row_groups());
        writer.append_key_value_metadata(KeyValue::new(
            ARROW_SCHEMA_META_KEY.to_string(),
            encode_arrow_schema(&declared_schema(&schema, &dictionary_encoded)),
        ));
        writer.close().map_err(parquet_error)?;
        if rows == 0 && !seen.contains(&table) {
            std::fs::remove_dir_all(&dir).map_err(|e| SourceError::io(&dir, e))?;
            continue;
        }
        written.push(ConvertedTable {
            table: table.to_string(),
            path,
            rows,
        });
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_print_with_seven_digits() {
        assert_eq!(
            kusto_datetime_text(1_689_769_062_778_236_400),
            "2023-07-19T12:17:42.7782364Z"
        );
        assert_eq!(kusto_datetime_text(-100), "1969-12-31T23:59:59.9999999Z");
    }
}
