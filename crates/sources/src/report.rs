//! What reading produced and what it had to skip, shared by every scan of a [`crate::DataSet`] and
//! readable after a query ran.
//!
//! A malformed record is counted once per run however many scans meet it (a hunt scans a file once per
//! rule, and a multi-table file once per table): each scan of a part of a file (a byte range, row
//! groups, the whole file) reports what it skipped there, and a part's count is the largest any scan
//! reported. Whether a record is malformed does not depend on the query (see `read::json`), so every
//! complete scan of a part finds the same records; a scan that stopped early found fewer. Records
//! whose table cannot be told (a line that is not JSON, a record naming no known table) are the same
//! for every table's scan and are kept under [`crate::UNROUTED`] for multi-table files.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

/// How many skip reasons are kept per file (the count covers them all).
pub const REASONS_KEPT_PER_FILE: usize = 5;

/// Where a record sits in its file: a line (1-based) when the reader counted lines from the start of
/// the file, otherwise the byte offset of the line (a partition that starts mid-file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Position {
    Line(u64),
    ByteOffset(u64),
    /// The n-th record (1-based) of a file of binary records (EVTX).
    Record(u64),
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Line(line) => write!(f, "line {line}"),
            Position::ByteOffset(offset) => write!(f, "byte {offset}"),
            Position::Record(record) => write!(f, "record {record}"),
        }
    }
}

/// A record that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRecord {
    pub position: Position,
    pub reason: String,
}

/// Counters for one file as read for one table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    /// Rows produced for the table (every scan adds its rows).
    pub rows: u64,
    /// Records lost as malformed, each counted once per run (`reasons` keeps the first few by
    /// position). A broken Event Hub message counts every record it held.
    pub skipped: u64,
    /// Records the prefilter skipped without parsing them, because they cannot match the query's
    /// filters (a line that is not an Event Hub message of the usual shape counts once, however many
    /// records it holds).
    pub skipped_unparsed: u64,
    /// Event Hub messages skipped whole, unparsed and unsplit, because none of their records can match
    /// (their records are not counted: counting them would cost the split that skipping saves).
    pub messages_skipped_unparsed: u64,
    pub reasons: Vec<SkippedRecord>,
    /// A last line with no newline that does not parse: the file is still being written.
    pub incomplete_tail: Option<Position>,
    /// Columns found in records that the table's schema (built-in plus sampled) does not have.
    pub ignored_columns: Vec<String>,
    /// Records of another product's telemetry of a kind torhunt maps onto no table (a Sysmon registry
    /// event, a Suricata `stats` line): read and left out, not malformed (docs/mappings.md).
    pub not_mapped: u64,
}

/// Shared, thread-safe read report of a data set, keyed by table and file.
#[derive(Debug, Clone, Default)]
pub struct ReadReport {
    inner: Arc<Mutex<ReportState>>,
}

#[derive(Debug, Default)]
struct ReportState {
    files: BTreeMap<(String, PathBuf), FileReport>,
    files_opened: u64,
    shared: SharedReadCounts,
    /// Per table, file and part of the file: the most records any scan of that part skipped.
    parts: HashMap<(String, PathBuf, PartKey), u64>,
}

/// What shared passes did (see `crate::shared_read`): one pass over a part of a multi-table file
/// reads it for every scan of the query that wants it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SharedReadCounts {
    /// Passes that read a part of a file for several scans at once.
    pub shared_passes: u64,
    /// Reads of a part of a file saved: scans that took their rows from another scan's pass.
    pub reads_saved: u64,
    /// Rows kept for a scan that went over the memory budget, so that scan read the part itself.
    pub over_budget: u64,
}

/// A part of a file as scans read it: `(first, last)` bytes or row groups, `(0, u64::MAX)` for all.
pub(crate) type PartKey = (u64, u64);

/// What one scan of one part of a file skipped under one table.
#[derive(Debug, Default)]
pub(crate) struct PartSkips {
    pub skipped: u64,
    /// The first few, in the order met.
    pub reasons: Vec<SkippedRecord>,
    pub incomplete_tail: Option<Position>,
}

/// What one read of one part of a file added to a report of its own, per table: how a read on a
/// cluster executor reaches the client's report (`crate::wire`), which adds it as if it had read the
/// part itself ([`ReadReport::add_part_read`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PartRead {
    pub path: PathBuf,
    pub part: PartKey,
    pub files_opened: u64,
    /// Only the tables the read added something for, as a local read adds entries only then.
    pub tables: Vec<(String, FileReport)>,
}

impl PartSkips {
    pub fn add(&mut self, position: Position, reason: String, records: u64) {
        self.skipped += records;
        if self.reasons.len() < REASONS_KEPT_PER_FILE {
            self.reasons.push(SkippedRecord { position, reason });
        }
    }
}

impl ReadReport {
    fn state(&self) -> MutexGuard<'_, ReportState> {
        // A panic elsewhere while holding the lock leaves counters that are still meaningful.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn update(&self, table: &str, file: &Path, change: impl FnOnce(&mut FileReport)) {
        let mut state = self.state();
        change(
            state
                .files
                .entry((table.to_string(), file.to_path_buf()))
                .or_default(),
        );
    }

    /// What one scan of part `part` of `file` skipped under `table` (see the module docs).
    pub(crate) fn part_read(&self, table: &str, file: &Path, part: PartKey, skips: PartSkips) {
        let mut state = self.state();
        let key = (table.to_string(), file.to_path_buf(), part);
        let before = state.parts.get(&key).copied().unwrap_or(0);
        if skips.skipped > before {
            state.parts.insert(key, skips.skipped);
        }
        if skips.skipped == 0 && skips.incomplete_tail.is_none() {
            return;
        }
        let report = state
            .files
            .entry((table.to_string(), file.to_path_buf()))
            .or_default();
        report.skipped += skips.skipped.saturating_sub(before);
        for reason in skips.reasons {
            if !report.reasons.iter().any(|r| r.position == reason.position) {
                report.reasons.push(reason);
            }
        }
        report.reasons.sort_by_key(|r| r.position);
        report.reasons.truncate(REASONS_KEPT_PER_FILE);
        report.incomplete_tail = report.incomplete_tail.or(skips.incomplete_tail);
    }

    /// What this report, kept for one read of `part` of `path` alone, holds (see [`PartRead`]).
    pub(crate) fn part_read_of(&self, path: &Path, part: PartKey) -> PartRead {
        let state = self.state();
        PartRead {
            path: path.to_path_buf(),
            part,
            files_opened: state.files_opened,
            tables: state
                .files
                .iter()
                .filter(|((_, file), _)| file == path)
                .map(|((table, _), report)| (table.clone(), report.clone()))
                .collect(),
        }
    }

    /// Adds a read made elsewhere as the read adds itself locally: rows and unparsed records add up,
    /// malformed records count once per part ([`ReadReport::part_read`]). The read's report held one
    /// part, so its `skipped`, `reasons` and `incomplete_tail` are that part's.
    pub(crate) fn add_part_read(&self, read: PartRead) {
        for (table, file) in read.tables {
            self.update(&table, &read.path, |report| {
                report.rows += file.rows;
                report.skipped_unparsed += file.skipped_unparsed;
                report.messages_skipped_unparsed += file.messages_skipped_unparsed;
                report.not_mapped = report.not_mapped.max(file.not_mapped);
                for column in &file.ignored_columns {
                    if !report.ignored_columns.contains(column) {
                        report.ignored_columns.push(column.clone());
                    }
                }
            });
            let skips = PartSkips {
                skipped: file.skipped,
                reasons: file.reasons,
                incomplete_tail: file.incomplete_tail,
            };
            self.part_read(&table, &read.path, read.part, skips);
        }
        self.state().files_opened += read.files_opened;
    }

    pub(crate) fn note_file_opened(&self) {
        self.state().files_opened += 1;
    }

    pub(crate) fn note_shared(&self, change: impl FnOnce(&mut SharedReadCounts)) {
        change(&mut self.state().shared);
    }

    /// Adds what a read for another scan, kept aside in `other` until that scan took its rows,
    /// reported: the same as if the read had reported here (see [`ReadReport::part_read`]).
    pub(crate) fn absorb(&self, other: &ReadReport) {
        let other = other.state();
        let mut state = self.state();
        for ((table, path, part), &skipped) in &other.parts {
            let key = (table.clone(), path.clone(), *part);
            let before = state.parts.get(&key).copied().unwrap_or(0);
            if skipped > before {
                state.parts.insert(key, skipped);
                state
                    .files
                    .entry((table.clone(), path.clone()))
                    .or_default()
                    .skipped += skipped - before;
            }
        }
        for (key, read) in &other.files {
            let report = state.files.entry(key.clone()).or_default();
            report.rows += read.rows;
            report.skipped_unparsed += read.skipped_unparsed;
            report.messages_skipped_unparsed += read.messages_skipped_unparsed;
            report.not_mapped = report.not_mapped.max(read.not_mapped);
            for reason in &read.reasons {
                if !report.reasons.iter().any(|r| r.position == reason.position) {
                    report.reasons.push(reason.clone());
                }
            }
            report.reasons.sort_by_key(|r| r.position);
            report.reasons.truncate(REASONS_KEPT_PER_FILE);
            report.incomplete_tail = report.incomplete_tail.or(read.incomplete_tail);
            for column in &read.ignored_columns {
                if !report.ignored_columns.contains(column) {
                    report.ignored_columns.push(column.clone());
                }
            }
        }
    }

    /// What shared passes over multi-table files did so far.
    pub fn shared_reads(&self) -> SharedReadCounts {
        self.state().shared
    }

    /// Per table and file, everything read so far (all executions of all scans add up).
    pub fn files(&self) -> Vec<(String, PathBuf, FileReport)> {
        self.state()
            .files
            .iter()
            .map(|((t, p), r)| (t.clone(), p.clone(), r.clone()))
            .collect()
    }

    /// One table's file reports.
    pub fn table(&self, table: &str) -> Vec<(PathBuf, FileReport)> {
        self.files()
            .into_iter()
            .filter(|(t, ..)| t == table)
            .map(|(_, p, r)| (p, r))
            .collect()
    }

    /// Rows produced for a table.
    pub fn rows(&self, table: &str) -> u64 {
        self.table(table).iter().map(|(_, r)| r.rows).sum()
    }

    /// Records skipped as malformed, over all tables.
    pub fn skipped(&self) -> u64 {
        self.state().files.values().map(|r| r.skipped).sum()
    }

    /// Records skipped unparsed by the prefilter, over all tables.
    pub fn skipped_unparsed(&self) -> u64 {
        self.state().files.values().map(|r| r.skipped_unparsed).sum()
    }

    /// Event Hub messages skipped whole by the prefilter, over all tables.
    pub fn messages_skipped_unparsed(&self) -> u64 {
        self.state()
            .files
            .values()
            .map(|r| r.messages_skipped_unparsed)
            .sum()
    }

    /// Files whose last line was incomplete.
    pub fn incomplete_tails(&self) -> u64 {
        self.state()
            .files
            .values()
            .filter(|r| r.incomplete_tail.is_some())
            .count() as u64
    }

    /// Files opened by scans (discovery's sampling is not counted), e.g. to see partition pruning work.
    pub fn files_opened(&self) -> u64 {
        self.state().files_opened
    }
}
