//! Readers: each turns one file (or a byte range of one) into batches of a [`ScanSpec`], reporting and
//! skipping malformed records.

mod csv;
mod json;
mod parquet;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use torhunt_prefilter::Encoding;

use crate::assemble::{Routing, RowAssembler, RowOutcome, ScanSpec};
use crate::error::{Result, SourceError};
use crate::format::{Compression, Format};
use crate::report::{Position, ReadReport};
use torhunt_storage::ByteSource;

pub(crate) use self::csv::{csv_reader, field, header_column};
pub(crate) use self::json::table_of_category;
pub(crate) use self::parquet::{TABLE_METADATA_KEY, load_metadata, read_footer, row_groups_overlapping};

use std::collections::{BTreeSet, HashMap};

use datafusion::parquet::arrow::arrow_reader::ArrowReaderMetadata;
use std::sync::Mutex;

/// A file found by discovery, with everything needed to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The file's path, or the blob's URL: how it is named in reports and errors.
    pub path: PathBuf,
    /// Where its bytes are (local disk or an object store): the readers' only way to them.
    pub source: ByteSource,
    pub format: Format,
    pub compression: Compression,
    pub(crate) routing: Routing,
    pub size: u64,
    /// Start of the hour a Streaming-API storage folder (`y=/m=/d=/h=`) holds, in ns since the epoch.
    pub hour_start: Option<i64>,
    /// Row groups of a Parquet file (0 for other formats).
    pub row_groups: usize,
}

impl SourceFile {
    /// Whether the file's records name their own tables (Streaming API messages, a portal union
    /// export), so that it feeds several tables.
    pub fn is_multi_table(&self) -> bool {
        self.routing == Routing::PerRecord
    }
}

/// The unit of work of one scan partition: a file or a part of one.
#[derive(Debug, Clone)]
pub(crate) struct FileSlice {
    pub file: Arc<SourceFile>,
    pub part: Part,
    /// Shared by the byte ranges of one CSV file, to check where they meet.
    pub checks: Option<Arc<SplitChecks>>,
    /// A Parquet file's parsed footer, shared by its row-group slices.
    pub parquet: Option<ArrowReaderMetadata>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    Whole,
    /// The records that start in this byte range.
    Bytes(Range<u64>),
    RowGroups(Range<usize>),
}

impl FileSlice {
    pub fn bytes(&self) -> Option<Range<u64>> {
        match &self.part {
            Part::Bytes(range) => Some(range.clone()),
            _ => None,
        }
    }

    /// Bytes of the file this slice reads, roughly, for balancing partitions.
    pub fn weight(&self) -> u64 {
        match &self.part {
            Part::Whole => self.file.size,
            Part::Bytes(range) => range.end - range.start,
            Part::RowGroups(groups) => {
                self.file.size * (groups.end - groups.start) as u64 / self.file.row_groups.max(1) as u64
            }
        }
    }
}

/// Where the byte ranges of a CSV file meet. A range starts at the first line start at or after its
/// first byte; that is only a record start if no quoted value spans a line break there, which the
/// range before it (which parsed up to there) can tell. Each split point is checked by whichever
/// side gets there second; a mismatch fails the read rather than giving rows cut in the wrong place.
#[derive(Debug, Default)]
pub(crate) struct SplitChecks {
    points: Mutex<HashMap<u64, Seam>>,
}

/// Where the later range started, and where the earlier range's records ended, at one split point.
#[derive(Debug, Default)]
struct Seam {
    started: Option<u64>,
    ended: Option<u64>,
}

impl SplitChecks {
    /// Records one side of split point `point`; fails when both sides are known and differ.
    fn note(&self, path: &Path, point: u64, started: Option<u64>, ended: Option<u64>) -> Result<()> {
        let mut points = self.points.lock().unwrap_or_else(|e| e.into_inner());
        let seam = points.entry(point).or_default();
        seam.started = seam.started.or(started);
        seam.ended = seam.ended.or(ended);
        match (seam.started, seam.ended) {
            (Some(started), Some(ended)) if started != ended => Err(SourceError::SplitMisaligned {
                path: path.to_path_buf(),
                offset: point,
            }),
            _ => Ok(()),
        }
    }

    pub fn started(&self, path: &Path, point: u64, at: u64) -> Result<()> {
        self.note(path, point, Some(at), None)
    }

    pub fn ended(&self, path: &Path, point: u64, at: u64) -> Result<()> {
        self.note(path, point, None, Some(at))
    }
}

/// Options and shared counters of a read.
#[derive(Debug, Clone)]
pub(crate) struct ReadContext {
    pub report: ReadReport,
    pub strict: bool,
    /// Whether scans skip records their prefilter rules out (off with `--no-prefilter` and `--strict`).
    pub prefilter: bool,
    pub split_bytes: u64,
    /// Every table of the data set: a record naming another table is reported as unrouted.
    pub tables: Arc<BTreeSet<String>>,
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
        assembler: RowAssembler::new(spec.clone(), file.routing.clone(), Arc::clone(&context.tables)),
        emit,
        stopped: false,
        unparsed: 0,
    };
    match file.format {
        Format::Parquet => {
            let groups = match &slice.part {
                Part::RowGroups(groups) => Some(groups.clone()),
                _ => None,
            };
            parquet::read(&mut sink, &file.source, groups, slice.parquet.as_ref())?
        }
        format if format.is_csv() => csv::read(&mut sink, slice)?,
        format => json::read(&mut sink, format, &file.source, file.compression, slice.bytes())?,
    }
    sink.flush()?;
    if sink.unparsed > 0 {
        let unparsed = sink.unparsed;
        context
            .report
            .update(&spec.table, &file.path, |r| r.skipped_unparsed += unparsed);
    }
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
    /// Records the prefilter skipped, added to the report at the end.
    unparsed: u64,
}

impl RecordSink<'_> {
    /// Accounts for one record's outcome; in strict mode a malformed record is an error.
    pub fn outcome(&mut self, position: Position, outcome: RowOutcome) -> Result<()> {
        match outcome {
            RowOutcome::Appended | RowOutcome::OtherTable => Ok(()),
            RowOutcome::Malformed(reason) => self.malformed(position, reason),
            RowOutcome::Unrouted(reason) => {
                self.context.report.skip_unrouted(self.path, position, reason);
                Ok(())
            }
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

    /// Whether a record, as raw bytes in `encoding`, may match the scan's filters; counts it as skipped
    /// unparsed when it cannot.
    pub fn admits(&mut self, encoding: Encoding, record: &[u8]) -> bool {
        let admitted = self
            .assembler
            .spec()
            .prefilter
            .as_ref()
            .is_none_or(|p| p.admits(encoding, record));
        if !admitted {
            self.unparsed += 1;
        }
        admitted
    }

    /// Counts records a reader's prefilter skipped by itself.
    pub fn note_unparsed(&mut self, records: u64) {
        self.unparsed += records;
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
