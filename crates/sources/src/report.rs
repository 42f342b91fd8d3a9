//! What reading produced and what it had to skip, shared by every scan of a [`crate::DataSet`] and
//! readable after a query ran.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// How many skip reasons are kept per file (the count covers them all).
pub const REASONS_KEPT_PER_FILE: usize = 5;

/// Where a record sits in its file: a line (1-based) when the reader counted lines from the start of
/// the file, otherwise the byte offset of the line (a partition that starts mid-file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Position {
    Line(u64),
    ByteOffset(u64),
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Line(line) => write!(f, "line {line}"),
            Position::ByteOffset(offset) => write!(f, "byte {offset}"),
        }
    }
}

/// A record that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedRecord {
    pub position: Position,
    pub reason: String,
}

/// Counters for one file as read for one table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileReport {
    /// Rows produced for the table.
    pub rows: u64,
    /// Malformed records skipped (all of them; `reasons` keeps the first few).
    pub skipped: u64,
    /// Records the prefilter skipped without parsing them, because they cannot match the query's
    /// filters (a line of Event Hub messages counts once, however many records it holds).
    pub skipped_unparsed: u64,
    pub reasons: Vec<SkippedRecord>,
    /// A last line with no newline that does not parse: the file is still being written.
    pub incomplete_tail: Option<Position>,
    /// Columns found in records that the table's schema (built-in plus sampled) does not have.
    pub ignored_columns: Vec<String>,
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
    /// Unrouted records already reported: every scan of a multi-table file meets them.
    unrouted: HashSet<(PathBuf, Position)>,
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

    pub(crate) fn skip(&self, table: &str, file: &Path, position: Position, reason: String) {
        self.update(table, file, |report| {
            report.skipped += 1;
            if report.reasons.len() < REASONS_KEPT_PER_FILE {
                report.reasons.push(SkippedRecord { position, reason });
            }
        });
    }

    /// A record no table of the data set takes, reported once however many scans meet it.
    pub(crate) fn skip_unrouted(&self, file: &Path, position: Position, reason: String) {
        if self.state().unrouted.insert((file.to_path_buf(), position)) {
            self.skip(crate::UNROUTED, file, position, reason);
        }
    }

    pub(crate) fn note_file_opened(&self) {
        self.state().files_opened += 1;
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
