//! Readers: each turns one file (or a byte range of one) into batches of a [`ScanSpec`], reporting and
//! skipping malformed records.

mod csv;
mod json;
mod parquet;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;

use crate::assemble::{Routing, RowAssembler, RowOutcome, ScanSpec};
use crate::error::{Result, SourceError};
use crate::format::{Compression, Format};
use crate::report::{Position, ReadReport};

pub(crate) use self::csv::{csv_reader, field, header_column};
pub(crate) use self::json::table_of_category;
pub(crate) use self::parquet::{TABLE_METADATA_KEY, read_footer};

/// A file found by discovery, with everything needed to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: PathBuf,
    pub format: Format,
    pub compression: Compression,
    pub(crate) routing: Routing,
    pub size: u64,
    /// Start of the hour a Streaming-API storage folder (`y=/m=/d=/h=`) holds, in ns since the epoch.
    pub hour_start: Option<i64>,
}

/// The unit of work of one scan partition: a whole file or a line-aligned byte range of one.
#[derive(Debug, Clone)]
pub(crate) struct FileSlice {
    pub file: Arc<SourceFile>,
    pub range: Option<Range<u64>>,
}

/// Options and shared counters of a read.
#[derive(Debug, Clone)]
pub(crate) struct ReadContext {
    pub report: ReadReport,
    pub strict: bool,
    pub split_bytes: u64,
}

/// Reads a slice, handing each batch to `emit`; stops early when `emit` returns false (the query no
/// longer wants rows).
pub(crate) fn read_slice(
    spec: &Arc<ScanSpec>,
    slice: &FileSlice,
    context: &ReadContext,
    emit: &mut dyn FnMut(RecordBatch) -> bool,
) -> Result<()> {
    context.report.note_file_opened();
    let file = &slice.file;
    let mut sink = RecordSink {
        context,
        table: &spec.table,
        path: &file.path,
        assembler: RowAssembler::new(spec.clone(), file.routing.clone()),
        emit,
        stopped: false,
    };
    match file.format {
        Format::Parquet => parquet::read(&mut sink, &file.path)?,
        format if format.is_csv() => csv::read(&mut sink, &file.path, file.compression)?,
        format => json::read(
            &mut sink,
            format,
            &file.path,
            file.compression,
            slice.range.clone(),
        )?,
    }
    sink.flush()?;
    let unknown = sink.assembler.unknown_columns().to_vec();
    sink.ignore_columns(unknown);
    Ok(())
}

/// Where readers deliver records: counts, reports and batches them.
pub(crate) struct RecordSink<'a> {
    context: &'a ReadContext,
    table: &'a str,
    path: &'a Path,
    pub assembler: RowAssembler,
    emit: &'a mut dyn FnMut(RecordBatch) -> bool,
    stopped: bool,
}

impl RecordSink<'_> {
    /// Accounts for one record's outcome; in strict mode a malformed record is an error.
    pub fn outcome(&mut self, position: Position, outcome: RowOutcome) -> Result<()> {
        match outcome {
            RowOutcome::Appended | RowOutcome::OtherTable => Ok(()),
            RowOutcome::Malformed(reason) => self.malformed(position, reason),
        }
    }

    pub fn malformed(&mut self, position: Position, reason: String) -> Result<()> {
        if self.context.strict {
            return Err(SourceError::BadRecord {
                path: self.path.to_path_buf(),
                position,
                reason,
            });
        }
        self.context.report.skip(self.table, self.path, position, reason);
        Ok(())
    }

    /// The file's last line had no newline and did not parse: it is still being written.
    pub fn incomplete_tail(&mut self, position: Position) {
        self.context
            .report
            .update(self.table, self.path, |r| r.incomplete_tail = Some(position));
    }

    /// Emits a batch when enough rows are collected; returns false once the consumer is gone.
    pub fn maybe_flush(&mut self) -> Result<bool> {
        if self.assembler.len() >= crate::assemble::BATCH_SIZE {
            self.flush()?;
        }
        Ok(!self.stopped)
    }

    pub fn flush(&mut self) -> Result<()> {
        if let Some(batch) = self.assembler.take_batch()? {
            let rows = batch.num_rows() as u64;
            self.context
                .report
                .update(self.table, self.path, |r| r.rows += rows);
            if !self.stopped && !(self.emit)(batch) {
                self.stopped = true;
            }
        }
        Ok(())
    }

    /// Reports source columns the table's schema lacks (read from no record).
    pub fn ignore_columns(&mut self, columns: Vec<String>) {
        if columns.is_empty() {
            return;
        }
        self.context.report.update(self.table, self.path, |r| {
            for column in columns {
                if !r.ignored_columns.contains(&column) {
                    r.ignored_columns.push(column);
                }
            }
        });
    }

    /// Emits an already assembled batch (Parquet).
    pub fn emit_batch(&mut self, batch: RecordBatch) -> bool {
        let rows = batch.num_rows() as u64;
        self.context
            .report
            .update(self.table, self.path, |r| r.rows += rows);
        self.stopped = self.stopped || !(self.emit)(batch);
        !self.stopped
    }
}
