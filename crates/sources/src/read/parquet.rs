//! Typed Parquet: columns keep their types (read through `KustoType::of_field`), only projected columns
//! are read, and values are cast to the table's Kusto types.

use std::fs::File;
use std::io::Read;
use std::ops::Range;
use std::sync::Arc;

use bytes::Bytes;

use datafusion::arrow::array::{ArrayRef, new_null_array};
use datafusion::arrow::compute::{CastOptions, cast_with_options};
use datafusion::arrow::datatypes::{DataType, SchemaRef, TimeUnit};
use datafusion::parquet::arrow::ProjectionMask;
use datafusion::parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use datafusion::parquet::errors::ParquetError;
use datafusion::parquet::file::reader::{ChunkReader, Length};
use datafusion::parquet::file::statistics::Statistics;
use kql_types::KustoType;
use torhunt_storage::{ByteSource, ObjectBlob};

use super::RecordSink;
use crate::assemble::{BATCH_SIZE, finish_columns};
use crate::error::{Result, SourceError};

/// Arrow-schema metadata key under which `torhunt convert` records the table a Parquet file holds.
pub(crate) const TABLE_METADATA_KEY: &str = "torhunt.table";

/// What discovery needs from a Parquet footer.
pub(crate) struct ParquetFooter {
    pub schema: SchemaRef,
    pub table: Option<String>,
    pub row_groups: usize,
}

/// A Parquet file's bytes for the Parquet reader: a local file, or a blob read in ranges.
enum ParquetBytes {
    File(File),
    Blob(Arc<ObjectBlob>),
}

impl ParquetBytes {
    fn open(source: &ByteSource) -> Result<ParquetBytes> {
        Ok(match source {
            ByteSource::Local(path) => {
                ParquetBytes::File(File::open(path).map_err(|e| SourceError::io(path, e))?)
            }
            ByteSource::Blob(blob) => ParquetBytes::Blob(Arc::clone(blob)),
        })
    }
}

impl Length for ParquetBytes {
    fn len(&self) -> u64 {
        match self {
            ParquetBytes::File(file) => file.len(),
            ParquetBytes::Blob(blob) => blob.size(),
        }
    }
}

impl ChunkReader for ParquetBytes {
    type T = Box<dyn Read + Send>;

    fn get_read(&self, start: u64) -> datafusion::parquet::errors::Result<Self::T> {
        match self {
            ParquetBytes::File(file) => Ok(Box::new(file.get_read(start)?)),
            ParquetBytes::Blob(blob) => Ok(Box::new(blob.reader(start, None))),
        }
    }

    fn get_bytes(&self, start: u64, length: usize) -> datafusion::parquet::errors::Result<Bytes> {
        match self {
            ParquetBytes::File(file) => file.get_bytes(start, length),
            ParquetBytes::Blob(blob) => blob
                .read_range(start..start + length as u64)
                .map_err(|e| ParquetError::External(Box::new(e))),
        }
    }
}

pub(crate) fn read_footer(source: &ByteSource) -> Result<ParquetFooter> {
    let path = source.name();
    let file = ParquetBytes::open(source)?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|error| SourceError::parquet(path.to_path_buf(), error))?;
    let schema = builder.schema().clone();
    let table = schema.metadata().get(TABLE_METADATA_KEY).cloned();
    let row_groups = builder.metadata().num_row_groups();
    Ok(ParquetFooter {
        schema,
        table,
        row_groups,
    })
}

/// A file's parsed footer, loaded once per scan and shared by its row-group partitions (a file of many
/// row groups would otherwise have its footer parsed once per partition).
pub(crate) fn load_metadata(source: &ByteSource) -> Option<ArrowReaderMetadata> {
    let file = ParquetBytes::open(source).ok()?;
    ArrowReaderMetadata::load(&file, ArrowReaderOptions::default()).ok()
}

/// The row groups whose statistics for `column` (a nanosecond timestamp) overlap `lower..=upper`; every
/// row group when the file cannot tell (no such column, another type, no statistics).
pub(crate) fn row_groups_overlapping(
    metadata: &ArrowReaderMetadata,
    column: &str,
    lower: Option<i64>,
    upper: Option<i64>,
) -> Vec<usize> {
    let groups = 0..metadata.metadata().num_row_groups();
    let nanosecond_column = metadata
        .schema()
        .field_with_name(column)
        .is_ok_and(|f| matches!(f.data_type(), DataType::Timestamp(TimeUnit::Nanosecond, _)));
    let leaf = metadata
        .parquet_schema()
        .columns()
        .iter()
        .position(|c| c.path().string() == column);
    let Some(leaf) = leaf.filter(|_| nanosecond_column) else {
        return groups.collect();
    };
    groups
        .filter(
            |&group| match metadata.metadata().row_group(group).column(leaf).statistics() {
                Some(Statistics::Int64(stats)) => {
                    let below = lower
                        .zip(stats.max_opt())
                        .is_some_and(|(lower, max)| *max < lower);
                    let above = upper
                        .zip(stats.min_opt())
                        .is_some_and(|(upper, min)| *min > upper);
                    !(below || above)
                }
                _ => true,
            },
        )
        .collect()
}

/// Reads the file, or only `row_groups` of it.
pub(super) fn read(
    sink: &mut RecordSink<'_>,
    source: &ByteSource,
    row_groups: Option<Range<usize>>,
    metadata: Option<&ArrowReaderMetadata>,
) -> Result<()> {
    let path = source.name();
    let parquet_error = |error| SourceError::parquet(path.to_path_buf(), error);
    let file = ParquetBytes::open(source)?;
    let builder = match metadata {
        Some(metadata) => ParquetRecordBatchReaderBuilder::new_with_metadata(file, metadata.clone()),
        None => ParquetRecordBatchReaderBuilder::try_new(file).map_err(parquet_error)?,
    };
    let spec = Arc::clone(sink.assembler.spec_arc());
    let file_schema = builder.schema().clone();
    let ignored: Vec<String> = file_schema
        .fields()
        .iter()
        .filter(|f| spec.schema.index_of(f.name()).is_none())
        .map(|f| f.name().clone())
        .collect();
    sink.ignore_columns(ignored);

    // File column (if any) of each decoded column; the reader returns the chosen roots in file order.
    let sources: Vec<Option<usize>> = spec
        .decoded
        .iter()
        .map(|&column| file_schema.index_of(&spec.schema.columns()[column].0).ok())
        .collect();
    let mut roots: Vec<usize> = sources.iter().flatten().copied().collect();
    roots.sort_unstable();
    roots.dedup();
    let mask = ProjectionMask::roots(builder.parquet_schema(), roots.iter().copied());
    let builder = match row_groups {
        Some(groups) => builder.with_row_groups(groups.collect()),
        None => builder,
    };
    let reader = builder
        .with_projection(mask)
        .with_batch_size(BATCH_SIZE)
        .build()
        .map_err(parquet_error)?;
    for batch in reader {
        let batch = batch.map_err(|e| SourceError::parquet(path, e.into()))?;
        let rows = batch.num_rows();
        let mut arrays = Vec::with_capacity(sources.len());
        for (&column, source) in spec.decoded.iter().zip(&sources) {
            let (name, kusto_type) = &spec.schema.columns()[column];
            arrays.push(match source {
                Some(file_index) => {
                    let position = roots
                        .binary_search(file_index)
                        .expect("every source column is a chosen root");
                    to_kusto_type(batch.column(position), *kusto_type).map_err(|reason| {
                        SourceError::UnsupportedFile {
                            path: path.to_path_buf(),
                            reason: format!("column {name}: {reason}"),
                        }
                    })?
                }
                None => new_null_array(&kusto_type.arrow_type(), rows),
            });
        }
        if !sink.emit_batch(finish_columns(&spec, arrays, rows)?) {
            break;
        }
    }
    Ok(())
}

/// Casts a Parquet column to the Arrow type of its Kusto type; a value that does not fit is an error.
fn to_kusto_type(array: &ArrayRef, kusto_type: KustoType) -> Result<ArrayRef, String> {
    let target = kusto_type.arrow_type();
    if array.data_type() == &target {
        return Ok(array.clone());
    }
    if kusto_type == KustoType::Dynamic && KustoType::of_arrow(array.data_type()) != Some(KustoType::String) {
        return Err(format!(
            "reading Parquet {} as dynamic is not supported",
            array.data_type()
        ));
    }
    let options = CastOptions {
        safe: false,
        ..CastOptions::default()
    };
    let cast = |array: &ArrayRef, to: &DataType| {
        cast_with_options(array, to, &options).map_err(|e| format!("cannot read as {kusto_type}: {e}"))
    };
    match array.data_type() {
        // Zoned timestamps are instants: relabel them UTC first so dropping the zone keeps the instant.
        DataType::Timestamp(unit, Some(_)) => {
            let utc = cast(array, &DataType::Timestamp(*unit, Some("UTC".into())))?;
            cast(&utc, &DataType::Timestamp(TimeUnit::Nanosecond, None))
        }
        _ => cast(array, &target),
    }
}
