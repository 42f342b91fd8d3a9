//! Typed Parquet that torhunt wrote itself, read through DataFusion's `ParquetSource`: filters pushed
//! into the decoder (other columns decoded only for rows that pass), reordered by cost, pruned with
//! row-group statistics and the page index, and the hash join's dynamic filter applied the same way.
//!
//! Only a file that reads back to exactly what today's reader gives qualifies (`qualifies`): written
//! by `torhunt convert` for this table (the footer names it), on local disk, with the table's columns
//! and nothing else, each of its Kusto type's Arrow type (no cast), and no null where the shared
//! column rules would fill one in (string columns, `Type`, `Timestamp`, `TimeGenerated`: the
//! statistics say so for every row group). Other Parquet keeps `crate::read::parquet`.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, SchemaRef};
use datafusion::catalog::Session;
use datafusion::datasource::listing::PartitionedFile;
use datafusion::datasource::physical_plan::parquet::{
    CachedParquetFileReaderFactory, ParquetFileReaderFactory,
};
use datafusion::datasource::physical_plan::{FileGroup, FileScanConfigBuilder, ParquetSource};
use datafusion::datasource::source::DataSourceExec;
use datafusion::error::{DataFusionError, Result as DfResult};
use datafusion::execution::object_store::ObjectStoreUrl;
use datafusion::parquet::arrow::arrow_reader::ArrowReaderMetadata;
use datafusion::parquet::arrow::async_reader::AsyncFileReader;
use datafusion::parquet::file::metadata::{ParquetMetaData, RowGroupMetaData};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::metrics::ExecutionPlanMetricsSet;
use kql_types::KustoType;
use object_store::ObjectMeta;
use torhunt_storage::ByteSource;

use crate::export;
use crate::per_distinct_value::PerDistinctValueAdapterFactory;
use crate::read::{FileSlice, Part, TABLE_METADATA_KEY};
use crate::report::ReadReport;
use crate::schema::{TIME_GENERATED, TIMESTAMP, TYPE, TableSchema};

/// Whether a Parquet file (its parsed footer) reads back through `ParquetSource` to the same rows as
/// through today's reader (see the module docs).
pub(crate) fn qualifies(source: &ByteSource, metadata: &ArrowReaderMetadata, schema: &TableSchema) -> bool {
    let file_schema = metadata.schema();
    let written_for_table =
        file_schema.metadata().get(TABLE_METADATA_KEY).map(String::as_str) == Some(schema.name());
    let same_columns = file_schema.fields().len() == schema.columns().len()
        && schema.columns().iter().all(|(name, kusto_type)| {
            file_schema
                .field_with_name(name)
                .is_ok_and(|f| reads_as(f.data_type(), &kusto_type.arrow_type()))
        });
    let parquet = metadata.metadata();
    if !(matches!(source, ByteSource::Local(_))
        && written_for_table
        && same_columns
        && row_groups_in_file_order(parquet))
    {
        return false;
    }
    schema
        .columns()
        .iter()
        .filter(|(name, kusto_type)| {
            *kusto_type == KustoType::String || [TYPE, TIMESTAMP, TIME_GENERATED].contains(&name.as_str())
        })
        .all(|(name, _)| {
            let leaf = metadata
                .parquet_schema()
                .columns()
                .iter()
                .position(|c| c.path().string() == *name);
            leaf.is_some_and(|leaf| {
                parquet
                    .row_groups()
                    .iter()
                    .all(|group| group.column(leaf).statistics().and_then(|s| s.null_count_opt()) == Some(0))
            })
        })
}

/// Whether a column stored as `stored` reads back as `wanted` with no cast but DataFusion's own from a
/// dictionary of strings to strings (torhunt declares its string columns dictionaries, see `export`).
fn reads_as(stored: &DataType, wanted: &DataType) -> bool {
    stored == wanted || *stored == export::string_column_type() && wanted == &DataType::Utf8
}

/// A `DataSourceExec` reading the given partitions (each a list of one-row-group slices of
/// qualifying files) with the table's schema and the scan's projection. Filters reach it through
/// DataFusion's physical filter pushdown, which `ParquetSource` applies while decoding.
pub(crate) fn scan(
    state: &dyn Session,
    table_schema: SchemaRef,
    projection: Option<&Vec<usize>>,
    partitions: Vec<Vec<FileSlice>>,
    report: &ReadReport,
) -> DfResult<Arc<dyn ExecutionPlan>> {
    let url = ObjectStoreUrl::local_filesystem();
    let store = state.runtime_env().object_store(&url)?;
    let metadata_cache = state.runtime_env().cache_manager.get_file_metadata_cache();
    // A partition's run of consecutive row groups of a file is one range, opened once: each open
    // prepares the filters anew (a relay list's 7,000 keys, simplified and analysed, cost more than
    // reading a row group).
    let partitions: Vec<Vec<FileSlice>> = partitions.into_iter().map(merge_consecutive).collect();
    let mut row_groups = HashMap::new();
    for slice in partitions.iter().flatten() {
        if let Part::RowGroups(groups) = &slice.part {
            let file = partitioned_file(slice)?;
            row_groups.insert(range_key(&file), groups.len() as u64);
        }
    }
    let readers = CountingReaders {
        inner: CachedParquetFileReaderFactory::new(store, metadata_cache),
        report: report.clone(),
        row_groups,
    };
    let source = ParquetSource::new(table_schema)
        .with_pushdown_filters(true)
        .with_reorder_filters(true)
        .with_enable_page_index(true)
        .with_parquet_file_reader_factory(Arc::new(readers));
    let groups = partitions
        .iter()
        .map(|slices| {
            slices
                .iter()
                .map(partitioned_file)
                .collect::<DfResult<Vec<_>>>()
                .map(FileGroup::new)
        })
        .collect::<DfResult<Vec<_>>>()?;
    let config = FileScanConfigBuilder::new(url, Arc::new(source))
        .with_file_groups(groups)
        .with_projection_indices(projection.cloned())?
        .with_expr_adapter(Some(Arc::new(PerDistinctValueAdapterFactory)))
        .build();
    Ok(DataSourceExec::from_data_source(config))
}

/// Slices of consecutive row groups of the same file, one after another, joined into one.
pub(crate) fn merge_consecutive(slices: Vec<FileSlice>) -> Vec<FileSlice> {
    let mut merged: Vec<FileSlice> = Vec::with_capacity(slices.len());
    for slice in slices {
        if let Some(last) = merged.last_mut()
            && Arc::ptr_eq(&last.file, &slice.file)
            && let (Part::RowGroups(before), Part::RowGroups(groups)) = (&mut last.part, &slice.part)
            && before.end == groups.start
        {
            before.end = groups.end;
            continue;
        }
        merged.push(slice);
    }
    merged
}

/// A file range as the reader factory is given it.
fn range_key(file: &PartitionedFile) -> (String, Option<(i64, i64)>) {
    (
        file.object_meta.location.to_string(),
        file.range.as_ref().map(|r| (r.start, r.end)),
    )
}

/// Where a row group starts for `ParquetSource`: it reads the row groups of a file's byte range whose
/// first column's first page (dictionary, else data) starts in the range.
fn row_group_start(group: &RowGroupMetaData) -> Option<i64> {
    let column = (group.num_columns() > 0).then(|| group.column(0))?;
    Some(
        column
            .dictionary_page_offset()
            .unwrap_or_else(|| column.data_page_offset()),
    )
}

/// Whether each row group starts after the one before it (as every Parquet writer lays them out), so
/// that a byte range from one's start to the next one's start selects exactly one row group.
fn row_groups_in_file_order(parquet: &ParquetMetaData) -> bool {
    let starts: Option<Vec<i64>> = parquet.row_groups().iter().map(row_group_start).collect();
    starts.is_some_and(|starts| starts.windows(2).all(|pair| pair[0] < pair[1]))
}

/// A slice (a local file's row groups) as a file of a `DataSourceExec`: a byte range selects its row
/// groups, from the first one's start to the start of the one after the last (the end of the file
/// for the last one). A range is a plain field of the file, which datafusion-proto encodes, so the
/// slice reads the same row groups on a cluster executor (an access plan, an extension of the file,
/// would not travel, and every partition would read every row group).
fn partitioned_file(slice: &FileSlice) -> DfResult<PartitionedFile> {
    let path = std::path::absolute(&slice.file.path)?;
    let location = object_store::path::Path::from_absolute_path(&path)
        .map_err(|e| DataFusionError::External(Box::new(e)))?;
    let meta = ObjectMeta {
        location,
        last_modified: modified(&path),
        size: slice.file.size,
        e_tag: None,
        version: None,
    };
    let file = PartitionedFile::new_from_meta(meta);
    Ok(match (&slice.part, &slice.parquet) {
        (Part::RowGroups(groups), Some(metadata)) => {
            let row_groups = metadata.metadata().row_groups();
            let start_of = |group: usize| match row_groups.get(group) {
                Some(group) => row_group_start(group),
                None => i64::try_from(slice.file.size).ok(),
            };
            let (Some(start), Some(end)) = (start_of(groups.start), start_of(groups.end)) else {
                return Err(DataFusionError::Internal(format!(
                    "row groups {groups:?} of {} have no place in the file",
                    slice.file.path.display()
                )));
            };
            file.with_range(start, end)
        }
        (Part::RowGroups(groups), None) => {
            return Err(DataFusionError::Internal(format!(
                "row groups {groups:?} of {} without the file's footer",
                slice.file.path.display()
            )));
        }
        (Part::Whole | Part::Bytes(_), _) => file,
    })
}

/// When a file was last changed (the epoch when unknown): DataFusion's footer cache checks it.
fn modified(path: &Path) -> chrono::DateTime<chrono::Utc> {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map(chrono::DateTime::<chrono::Utc>::from)
        .unwrap_or_default()
}

/// DataFusion's cached reader factory, counting in the read report each row group of a range opened
/// as a file opened, as today's reader counts its one-row-group slices.
struct CountingReaders {
    inner: CachedParquetFileReaderFactory,
    report: ReadReport,
    /// Row groups per range of a file ([`range_key`]); a range not planned here (DataFusion split
    /// it further) counts once.
    row_groups: HashMap<(String, Option<(i64, i64)>), u64>,
}

impl fmt::Debug for CountingReaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CountingReaders")
    }
}

impl ParquetFileReaderFactory for CountingReaders {
    fn create_reader(
        &self,
        partition_index: usize,
        file: PartitionedFile,
        metadata_size_hint: Option<usize>,
        metrics: &ExecutionPlanMetricsSet,
    ) -> DfResult<Box<dyn AsyncFileReader + Send>> {
        let opened = self.row_groups.get(&range_key(&file)).copied().unwrap_or(1);
        (0..opened).for_each(|_| self.report.note_file_opened());
        self.inner
            .create_reader(partition_index, file, metadata_size_hint, metrics)
    }
}
