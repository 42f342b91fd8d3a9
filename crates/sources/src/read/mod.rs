//! Readers: each turns one file (or a byte range of one) into batches of a [`ScanSpec`], reporting and
//! skipping malformed records.

mod csv;
mod csv_skip;
mod json;
mod line_reader;
mod parquet;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::execution::memory_pool::MemoryReservation;
use torhunt_prefilter::Encoding;

use crate::assemble::{JsonShape, Routing, RowAssembler, RowOutcome, ScanSpec};
use crate::error::{Result, SourceError};
use crate::format::{Compression, Format};
use crate::report::{PartKey, PartSkips, Position, ReadReport};
use crate::time_prefilter::RawTime;
use torhunt_storage::ByteSource;

pub(crate) use self::csv::{csv_read_error, field, guarded_reader, header_column, record_read};
pub(crate) use self::json::table_of_category;
pub(crate) use self::line_reader::{LineReader, cut_short};
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
    /// The part of the file this slice reads, as the read report keys it.
    pub fn part_key(&self) -> PartKey {
        match &self.part {
            Part::Whole => (0, u64::MAX),
            Part::Bytes(range) => (range.start, range.end),
            Part::RowGroups(groups) => (groups.start as u64, groups.end as u64),
        }
    }

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
    /// The longest record (line, CSV record) a reader takes; see [`crate::ReadOptions`].
    pub max_record_bytes: u64,
    /// Whether scans of one query share passes over multi-table files (`crate::shared_read`).
    pub shared_reads: bool,
    /// Bytes of rows a shared pass keeps for scans that have not taken them yet.
    pub shared_read_budget: u64,
    /// Every table of the data set: a record naming another table is reported as unrouted.
    pub tables: Arc<BTreeSet<String>>,
}

/// Reads a slice, handing each batch to `emit`; stops early when `emit` returns false (the query no
/// longer wants rows). The memory the reader holds (the record being read, the batch being built) is
/// kept in `memory`, so a memory limit holds for readers too.
pub(crate) fn read_slice(
    spec: &Arc<ScanSpec>,
    slice: &FileSlice,
    context: &ReadContext,
    memory: &mut MemoryReservation,
    emit: &mut dyn FnMut(RecordBatch) -> bool,
) -> Result<()> {
    let reader = SliceReader {
        spec: spec.clone(),
        report: context.report.clone(),
        emit,
        propagates: true,
    };
    let mut failures = read_slice_for(slice, context, memory, vec![reader])?;
    failures.pop().flatten().map_or(Ok(()), Err)
}

/// One scan a pass over a slice reads for.
pub(crate) struct SliceReader<'a> {
    pub spec: Arc<ScanSpec>,
    /// Where its rows and skips are reported.
    pub report: ReadReport,
    pub emit: &'a mut dyn FnMut(RecordBatch) -> bool,
    /// Whether an error while reading for it (a malformed record in strict mode, the memory limit)
    /// fails the whole pass; else the pass goes on for the others and the error is returned for it.
    pub propagates: bool,
}

/// Reads a slice once for several scans, each record going to every scan's own row assembler; returns
/// the error each reader that does not propagate its errors met, in order. Only line-delimited JSON
/// is read for several scans at once (see `crate::shared_read`).
pub(crate) fn read_slice_for(
    slice: &FileSlice,
    context: &ReadContext,
    memory: &mut MemoryReservation,
    readers: Vec<SliceReader<'_>>,
) -> Result<Vec<Option<SourceError>>> {
    context.report.note_file_opened();
    let file = &slice.file;
    let mut sinks: Vec<RecordSink<'_>> = readers
        .into_iter()
        .map(|reader| RecordSink {
            context,
            report: reader.report,
            table: reader.spec.table.clone(),
            path: &file.path,
            assembler: RowAssembler::new(reader.spec, file.routing.clone(), Arc::clone(&context.tables)),
            emit: reader.emit,
            stopped: false,
            propagates: reader.propagates,
            failure: None,
            unparsed: 0,
            unparsed_messages: 0,
            memory: memory.new_empty(),
            record_skips: PartSkips::default(),
            line_skips: PartSkips::default(),
        })
        .collect();
    match (file.format, sinks.as_mut_slice()) {
        (format, sinks) if format.is_json_lines() => {
            json::read(sinks, format, &file.source, file.compression, slice.bytes())?
        }
        (Format::Parquet, [sink]) => {
            let groups = match &slice.part {
                Part::RowGroups(groups) => Some(groups.clone()),
                _ => None,
            };
            parquet::read(sink, &file.source, groups, slice.parquet.as_ref())?
        }
        (format, [sink]) if format.is_csv() => csv::read(sink, slice)?,
        (format, [sink]) if format.is_mapped() => crate::mapped::read(sink, file)?,
        (format, _) => {
            return Err(SourceError::DataFusion(
                datafusion::error::DataFusionError::Internal(format!(
                    "{} files are not read for several scans at once",
                    format.id()
                )),
            ));
        }
    }
    let mut failures = Vec::with_capacity(sinks.len());
    for mut sink in sinks {
        let finished = sink.flush();
        let finished = sink.settle(finished);
        finished?;
        sink.finish(slice.part_key());
        failures.push(sink.failure.take());
    }
    Ok(failures)
}

/// How far a sink's memory reservation may exceed what it needs before it is shrunk (see
/// [`RecordSink::hold`]).
const RESERVATION_SLACK: usize = 1 << 20;

/// Where readers deliver records: counts, reports and batches them.
pub(crate) struct RecordSink<'a> {
    context: &'a ReadContext,
    report: ReadReport,
    table: String,
    path: &'a Path,
    pub assembler: RowAssembler,
    emit: &'a mut dyn FnMut(RecordBatch) -> bool,
    stopped: bool,
    /// See [`SliceReader::propagates`].
    propagates: bool,
    /// The error that stopped reading for this sink, when it does not propagate.
    failure: Option<SourceError>,
    /// Records the prefilter skipped, added to the report at the end.
    unparsed: u64,
    /// Event Hub messages the prefilter skipped whole.
    unparsed_messages: u64,
    memory: MemoryReservation,
    /// Records of this table that were malformed.
    record_skips: PartSkips,
    /// Records whose table cannot be told: lines that do not parse, records of no known table.
    line_skips: PartSkips,
}

impl RecordSink<'_> {
    /// Whether the sink still takes records: its consumer wants rows and reading for it did not fail.
    pub fn active(&self) -> bool {
        !self.stopped
    }

    /// The outcome of handing the sink a record: an error of a sink that does not propagate its
    /// errors stops reading for it alone.
    pub fn settle(&mut self, result: Result<()>) -> Result<()> {
        match result {
            Err(error) if !self.propagates => {
                self.failure.get_or_insert(error);
                self.stopped = true;
                Ok(())
            }
            other => other,
        }
    }

    /// Reports what the read found for this sink, and gives its memory back.
    fn finish(&mut self, part: PartKey) {
        if self.unparsed > 0 || self.unparsed_messages > 0 {
            let (records, messages) = (self.unparsed, self.unparsed_messages);
            self.report.update(&self.table, self.path, |r| {
                r.skipped_unparsed += records;
                r.messages_skipped_unparsed += messages;
            });
        }
        let unknown = self.assembler.unknown_columns().to_vec();
        self.ignore_columns(unknown);
        self.report_skips(part);
        self.memory.free();
    }

    /// The longest record a reader takes.
    pub fn max_record_bytes(&self) -> u64 {
        self.context.max_record_bytes
    }

    /// Accounts for one record's outcome; in strict mode a malformed record is an error.
    pub fn outcome(&mut self, position: Position, outcome: RowOutcome) -> Result<()> {
        match outcome {
            RowOutcome::Appended | RowOutcome::OtherTable => Ok(()),
            RowOutcome::Malformed(reason) => self.malformed(position, reason),
            RowOutcome::Unrouted(reason) => {
                self.line_skips.add(position, reason, 1);
                Ok(())
            }
        }
    }

    /// A record of this table that is malformed (a value its column's type cannot hold, ...).
    pub fn malformed(&mut self, position: Position, reason: String) -> Result<()> {
        self.refuse_if_strict(position, &reason)?;
        self.record_skips.add(position, reason, 1);
        Ok(())
    }

    /// A line (holding `records` records, at least one) that cannot be read at all, so its table
    /// cannot be told either: invalid JSON, longer than the record limit.
    pub fn malformed_line(&mut self, position: Position, reason: String, records: u64) -> Result<()> {
        self.refuse_if_strict(position, &reason)?;
        self.line_skips.add(position, reason, records.max(1));
        Ok(())
    }

    /// The file's last line had no newline and did not parse: it is still being written (skipped and
    /// reported; an error in strict mode).
    pub fn incomplete_tail(&mut self, position: Position) -> Result<()> {
        self.refuse_if_strict(
            position,
            "incomplete last record: no line break at the end of the file (still being written?)",
        )?;
        self.line_skips.incomplete_tail = Some(position);
        Ok(())
    }

    fn refuse_if_strict(&self, position: Position, reason: &str) -> Result<()> {
        if self.context.strict {
            return Err(SourceError::BadRecord {
                path: self.path.to_path_buf(),
                position,
                reason: reason.to_string(),
            });
        }
        Ok(())
    }

    /// Whether a raw JSON text may match the scan's filters; counts it as skipped unparsed when it
    /// cannot.
    pub fn admits_json(&mut self, text: &[u8], shape: JsonShape) -> bool {
        let admitted = self.assembler.admits_json(text, shape);
        self.count_unless(admitted)
    }

    /// Whether a CSV record (its unquoted values, its time fields, and `keys`: whether its key fields
    /// may hold the join keys) may match the scan's filters; counts it as skipped unparsed when it
    /// cannot.
    pub fn admits_csv(
        &mut self,
        record: &::csv::ByteRecord,
        times: impl FnOnce() -> [RawTime; 2],
        keys: impl FnOnce() -> bool,
    ) -> bool {
        let spec = self.assembler.spec();
        // Fields end in order; only a needle found is placed, so this is rarely asked. The last
        // field keeps the `\r` of a CRLF line end, which the value does not (see `csv::field`).
        let values = record.as_slice();
        let is_edge = |at: usize| {
            at == 0
                || (0..record.len()).any(|i| record.range(i).is_some_and(|r| r.end == at))
                || (at + 1 == values.len() && values.ends_with(b"\r"))
        };
        let admitted = spec
            .prefilter
            .as_ref()
            .is_none_or(|p| p.admits_values(values, &is_edge))
            && spec.time_bounds.as_ref().is_none_or(|bounds| {
                let [timestamp, generated] = times();
                bounds.admits(timestamp, generated)
            })
            && keys();
        self.count_unless(admitted)
    }

    /// Whether any record of an Event Hub message may match the scan's string filters and join keys
    /// and time bounds and be of its table, tested once over the whole message; counts it as skipped
    /// whole when none can. The string and table tests are searches for needles, so a record can only
    /// pass them if its message does; the join keys are looked up in every member named like their
    /// column, the time bounds tested on every time member. The table's name goes first (see
    /// `RowAssembler::admits_json`).
    pub fn message_may_match(&mut self, message: &[u8]) -> bool {
        let spec = self.assembler.spec();
        // Cheapest and most selective first: the needles rule out nearly every message of a hunt and
        // a time bound about six in seven of a week's; finding the time members costs a pass over the
        // message like the needle search, so it comes last.
        let admitted = self.assembler.may_be_own_table(message)
            && spec
                .prefilter
                .as_ref()
                .is_none_or(|p| p.admits(Encoding::Json, message))
            && spec.join_keys.iter().all(|keys| keys.message_may_match(message))
            && spec
                .time_bounds
                .is_none_or(|bounds| bounds.admits_message(message));
        if !admitted {
            self.unparsed_messages += 1;
        }
        admitted
    }

    /// Where among the Event Hub messages of `block` (one per line) the first that may be of the
    /// table and match the query's string filters can be: `None` when none can; no whole line before
    /// the position can (see [`torhunt_prefilter::Prefilter::admitted_from`]). The caller counts the
    /// messages it passes over with [`RecordSink::note_unparsed_messages`].
    ///
    /// The table's name goes first, as in [`RecordSink::message_may_match`]: in files mixing tables
    /// one needle passes over most of a rare table's messages, and the string filters (a join's many
    /// keys) are searched only from the line it is first found in.
    pub fn messages_admitted_from(&self, block: &[u8]) -> Option<usize> {
        let own_table_from = self.assembler.own_table_admitted_from(block)?;
        let Some(prefilter) = &self.assembler.spec().prefilter else {
            return Some(own_table_from);
        };
        let line_start = memchr::memrchr(b'\n', &block[..own_table_from]).map_or(0, |end| end + 1);
        let filters_from = line_start + prefilter.admitted_from(Encoding::Json, &block[line_start..])?;
        Some(own_table_from.max(filters_from))
    }

    pub fn note_unparsed_messages(&mut self, messages: u64) {
        self.unparsed_messages += messages;
    }

    fn count_unless(&mut self, admitted: bool) -> bool {
        if !admitted {
            self.unparsed += 1;
        }
        admitted
    }

    /// Notes how many records of the file are of kinds no table maps (see `crate::mapped`); every
    /// scan of the file finds the same number.
    pub fn note_unmapped(&mut self, records: u64) {
        if records > 0 {
            self.report.update(&self.table, self.path, |r| {
                r.not_mapped = r.not_mapped.max(records)
            });
        }
    }

    /// Counts records a reader's prefilter skipped by itself.
    pub fn note_unparsed(&mut self, records: u64) {
        self.unparsed += records;
    }

    /// Keeps `buffer` bytes (the record being read) and the batch being built in the scan's share of
    /// the memory pool; fails when the pool's limit does not allow them.
    ///
    /// The reservation grows whenever more is needed, but shrinks only once it holds more than twice
    /// what is needed (and over [`RESERVATION_SLACK`]): resizing it for every record cost a fifth of a
    /// selective CSV scan, two atomic updates per record on counters every scan shares.
    pub fn hold(&mut self, buffer: usize) -> Result<()> {
        let needed = buffer + self.assembler.bytes();
        let held = self.memory.size();
        if needed > held || held - needed > needed.max(RESERVATION_SLACK) {
            self.memory.try_resize(needed).map_err(SourceError::DataFusion)?;
        }
        Ok(())
    }

    /// Hands what was skipped in this part of the file to the read report: records whose table
    /// cannot be told under [`crate::UNROUTED`] when the file holds several tables, else under the
    /// file's table.
    fn report_skips(&mut self, part: PartKey) {
        let (records, mut lines) = (
            std::mem::take(&mut self.record_skips),
            std::mem::take(&mut self.line_skips),
        );
        let report = &self.report;
        if self.assembler.routing() == &Routing::PerRecord {
            report.part_read(&self.table, self.path, part, records);
            report.part_read(crate::UNROUTED, self.path, part, lines);
        } else {
            lines.skipped += records.skipped;
            lines.reasons.extend(records.reasons);
            lines.reasons.sort_by_key(|r| r.position);
            report.part_read(&self.table, self.path, part, lines);
        }
    }

    /// Emits a batch when enough rows (or bytes) are collected; returns false once the consumer is
    /// gone.
    pub fn maybe_flush(&mut self) -> Result<bool> {
        if self.assembler.len() >= crate::assemble::BATCH_SIZE
            || self.assembler.bytes() >= crate::assemble::BATCH_BYTES
        {
            self.flush()?;
        }
        Ok(!self.stopped)
    }

    pub fn flush(&mut self) -> Result<()> {
        if let Some(batch) = self.assembler.take_batch()? {
            let rows = batch.num_rows() as u64;
            self.report.update(&self.table, self.path, |r| r.rows += rows);
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
        self.report.update(&self.table, self.path, |r| {
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
        self.report.update(&self.table, self.path, |r| r.rows += rows);
        self.stopped = self.stopped || !(self.emit)(batch);
        !self.stopped
    }
}

/// Reads one line (through its `\n`) into `line`, keeping at most `max` bytes of it: the rest of a
/// longer line is read past and dropped, so a line of any length costs at most `max` bytes of memory.
/// Returns how many bytes the line took in the file (0 at the end of the file) and whether it was
/// longer than `max`.
pub(crate) fn read_line_capped(
    reader: &mut dyn std::io::BufRead,
    line: &mut Vec<u8>,
    max: u64,
) -> std::io::Result<(u64, bool)> {
    let (mut taken, mut too_long) = (0u64, false);
    loop {
        let buffer = match reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer.is_empty() {
            return Ok((taken, too_long));
        }
        let (chunk, ends) = match memchr::memchr(b'\n', buffer) {
            Some(at) => (&buffer[..=at], true),
            None => (buffer, false),
        };
        let room = usize::try_from(max.saturating_sub(line.len() as u64)).unwrap_or(usize::MAX);
        if chunk.len() <= room {
            line.extend_from_slice(chunk);
        } else {
            line.extend_from_slice(&chunk[..room]);
            too_long = true;
        }
        let used = chunk.len();
        taken += used as u64;
        reader.consume(used);
        if ends {
            return Ok((taken, too_long));
        }
    }
}

/// The reason given for a record longer than the limit.
pub(crate) fn too_long_reason(bytes: u64, max: u64) -> String {
    format!(
        "a record of {bytes} bytes, longer than the {max}-byte limit (--max-record-size); skipped \
         without being read"
    )
}
