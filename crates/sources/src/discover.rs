//! Finding telemetry files and deciding which table each record belongs to.
//!
//! A file's table comes from, in order: an explicit `NAME=PATH` mapping; a Streaming API storage folder
//! (`insights-logs-advancedhunting-<table>/...`) or a Log Analytics data export container (`am-<table>/...`,
//! Sentinel tables); a file stem, or failing that a parent folder, naming a
//! known table (`DeviceNetworkEvents.csv`); the table recorded in a Parquet file by `torhunt convert`.
//! Otherwise each record names its own table: Streaming API records by `category`, other records by
//! their `Type` when it names a catalog table (Sentinel exports), else by their `ActionType` (every
//! documented `ActionType` belongs to one table; see [`crate::table_for_action_type`]). Such files are
//! read once during discovery to learn which tables they hold; records no table can be found for are
//! reported as skipped under the table `(unrouted)`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::catalog::TableProvider;
use datafusion::common::TableReference;
use datafusion::prelude::SessionContext;
use kql_types::{INGESTION_TIME_COLUMN, KustoType};
use torhunt_storage::{ByteSource, StorageSettings, StorageUrl, Stores};

use crate::error::{Result, SourceError};
use crate::examine::{Examined, examine, is_data_file};
use crate::profile::{Profile, SAMPLE_RECORDS, profile};
use crate::provider::TelemetryTable;
use crate::read::{ReadContext, SourceFile};
use crate::remote::{HourlyListing, Remote, expand_url};
use crate::report::ReadReport;
use crate::schema::{TableSchema, builtin_schema, canonical_table_name, known_tables};
use crate::walk::{Repeat, Walk};

/// Table name under which records that belong to no known table are reported.
pub const UNROUTED: &str = "(unrouted)";

/// Why a file is not telemetry.
pub const NOT_TELEMETRY: &str =
    "not telemetry: no record has a Timestamp, TimeGenerated, ActionType or Streaming API envelope";

/// How to read.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Fail on the first malformed record instead of reporting and skipping it.
    pub strict: bool,
    /// Skip records that cannot match a query's filters without parsing them (see `torhunt-prefilter`);
    /// not in strict mode, which parses every record to report the malformed ones.
    pub prefilter: bool,
    /// Uncompressed line-delimited JSON and CSV files larger than this are read in line-aligned byte
    /// ranges of this size, in parallel (`u64::MAX`: never split).
    pub split_bytes: u64,
    /// The longest record taken, in bytes (decompressed): a longer JSON line is skipped as malformed
    /// without being held in memory; a longer CSV record (its end cannot be found without reading it)
    /// fails the read. Bounds the memory a reader needs, whatever the file holds.
    pub max_record_bytes: u64,
    /// A query reading several tables of the same multi-table files reads each part of a file once for
    /// all of them (see `crate::shared_read`); off, each table's scan reads the files itself.
    pub shared_reads: bool,
    /// The most bytes of rows a shared pass keeps for scans that have not taken them yet; past it, a
    /// scan's rows are dropped and that scan reads the part itself.
    pub shared_read_budget: u64,
}

/// The default for [`ReadOptions::max_record_bytes`]: 16 MiB, sixteen times the largest Event Hub
/// message and Kusto's largest `dynamic` value at ingestion (1 MiB).
pub const DEFAULT_MAX_RECORD_BYTES: u64 = 16 << 20;

/// The default for [`ReadOptions::shared_read_budget`]: 256 MiB.
pub const DEFAULT_SHARED_READ_BUDGET: u64 = 256 << 20;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            strict: false,
            prefilter: true,
            split_bytes: 64 << 20,
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            shared_reads: true,
            shared_read_budget: DEFAULT_SHARED_READ_BUDGET,
        }
    }
}

/// Telemetry found under some paths, as DataFusion tables.
#[derive(Debug)]
pub struct DataSet {
    /// Every catalog table (empty when nothing feeds it) and every other table the data holds.
    tables: BTreeMap<String, Arc<TelemetryTable>>,
    /// Tables the data is known to hold: named by a path, a mapping or a Parquet footer, or seen in a
    /// file's sampled records. Multi-table files also feed every other catalog table, whose records
    /// may come after the sample.
    seen: BTreeSet<String>,
    skipped_paths: Vec<PathBuf>,
    not_telemetry: Vec<PathBuf>,
    repeats: Vec<Repeat>,
    report: ReadReport,
}

/// One table of a [`DataSet`]: where it is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSummary {
    pub table: String,
    pub files: usize,
    pub formats: Vec<&'static str>,
    pub bytes: u64,
}

impl DataSet {
    /// Finds the files under `paths` (files, directories walked recursively, glob patterns, or storage
    /// URLs: `az://`, `abfss://`, `https://<account>.blob.core.windows.net/`, `s3://`, `gs://`) and
    /// `forced` (`NAME=PATH`: every record of those files belongs to table `NAME`). Storage is reached
    /// with the settings of the process environment; see [`DataSet::discover_with`].
    pub fn discover(
        paths: &[PathBuf],
        forced: &[(String, PathBuf)],
        options: ReadOptions,
    ) -> Result<DataSet> {
        DataSet::discover_with(paths, forced, options, &Stores::new(StorageSettings::from_env()))
    }

    /// [`DataSet::discover`], reaching storage URLs through `stores`. A URL over the Streaming API's
    /// hourly layout (`.../y=/m=/d=/h=/...`) is listed when a query runs, only in the folders its
    /// time window can need; its newest hour is sampled now for the columns.
    pub fn discover_with(
        paths: &[PathBuf],
        forced: &[(String, PathBuf)],
        options: ReadOptions,
        stores: &Stores,
    ) -> Result<DataSet> {
        let report = ReadReport::default();
        let mut skipped_paths = Vec::new();
        let mut not_telemetry = Vec::new();
        // Files named on their own, not met while walking a folder or matching a pattern.
        let mut explicit: BTreeSet<PathBuf> = paths.iter().filter(|p| p.is_file()).cloned().collect();
        // Mappings first, so that a file both mapped and found under a folder keeps its mapping; a
        // file met twice (named twice, linked, hard-linked) is read once.
        let mut walk = Walk::new();
        let mut files: BTreeMap<PathBuf, (ByteSource, Option<String>)> = BTreeMap::new();
        let mut hourly: Vec<Arc<HourlyListing>> = Vec::new();
        let mapped = forced.iter().map(|(table, path)| {
            let table = canonical_table_name(table).map_or_else(|| table.clone(), str::to_string);
            (path, Some(table))
        });
        for (path, table) in mapped.chain(paths.iter().map(|path| (path, None))) {
            let found: Vec<(PathBuf, ByteSource)> = match StorageUrl::parse(&path.to_string_lossy()) {
                None => expand(path, &mut walk, &mut skipped_paths)?
                    .into_iter()
                    .map(|p| (p.clone(), ByteSource::Local(p)))
                    .collect(),
                Some(url) => match expand_url(url?, table.clone(), stores, &mut skipped_paths)? {
                    Remote::Blobs(blobs) => blobs,
                    Remote::Blob(name, source) => {
                        explicit.insert(name.clone());
                        vec![(name, source)]
                    }
                    Remote::Hourly(listing) => {
                        hourly.push(listing);
                        Vec::new()
                    }
                },
            };
            for (file, source) in found {
                if table.is_some() {
                    files.insert(file, (source, table.clone()));
                } else {
                    files.entry(file).or_insert((source, None));
                }
            }
        }

        let mut builders: BTreeMap<String, TableBuilder> = BTreeMap::new();
        let mut sampled: BTreeMap<String, u64> = BTreeMap::new();
        for (path, (source, forced_table)) in files {
            let examined = examine(path, source, forced_table)?;
            let member = Member::File(Arc::clone(&examined.file));
            if !add_member(
                member,
                &examined,
                &mut builders,
                &mut sampled,
                options.max_record_bytes,
            )? {
                // A relay list or a manifest beside the telemetry: skipped when met in a folder, an
                // error when named on its own.
                let path = examined.file.path.clone();
                if explicit.contains(&path) {
                    return Err(SourceError::UnknownTable {
                        path,
                        reason: NOT_TELEMETRY.to_string(),
                    });
                }
                not_telemetry.push(path);
            }
        }
        for listing in hourly {
            match listing.newest_sample()? {
                Some(examined) => {
                    let member = Member::Listing(Arc::clone(&listing));
                    if !add_member(
                        member,
                        &examined,
                        &mut builders,
                        &mut sampled,
                        options.max_record_bytes,
                    )? {
                        return Err(SourceError::UnknownTable {
                            path: examined.file.path.clone(),
                            reason: NOT_TELEMETRY.to_string(),
                        });
                    }
                }
                // No blob to learn columns from yet: the table has its built-in columns.
                None => {
                    if let Some(table) = listing.table() {
                        builders
                            .entry(table.clone())
                            .or_insert_with(|| TableBuilder::new(&table))
                            .add(Member::Listing(Arc::clone(&listing)), Vec::new(), true);
                    }
                }
            }
        }
        // A catalog table nothing feeds is an empty table, so queries naming it run.
        for table in known_tables() {
            builders
                .entry(table.to_string())
                .or_insert_with(|| TableBuilder::new(table));
        }
        let seen = builders
            .iter()
            .filter(|(_, builder)| builder.seen)
            .map(|(name, _)| name.clone())
            .collect();
        let context = ReadContext {
            report: report.clone(),
            strict: options.strict,
            prefilter: options.prefilter && !options.strict,
            split_bytes: options.split_bytes.max(1),
            max_record_bytes: options.max_record_bytes.max(1),
            shared_reads: options.shared_reads,
            shared_read_budget: options.shared_read_budget,
            tables: Arc::new(builders.keys().cloned().collect()),
        };
        let tables = builders
            .into_iter()
            .map(|(name, builder)| (name, Arc::new(builder.build(context.clone()))))
            .collect();
        Ok(DataSet {
            tables,
            seen,
            skipped_paths,
            not_telemetry,
            repeats: walk.into_repeats(),
            report,
        })
    }

    /// Catalog tables no file feeds: queries see them empty.
    pub fn tables_without_telemetry(&self) -> impl Iterator<Item = &str> {
        self.tables
            .iter()
            .filter(|(_, table)| !table.is_fed())
            .map(|(name, _)| name.as_str())
    }

    /// Every table with its provider, including the empty catalog tables.
    pub fn tables(&self) -> impl Iterator<Item = (&str, Arc<dyn TableProvider>)> {
        self.tables
            .iter()
            .map(|(name, table)| (name.as_str(), Arc::clone(table) as Arc<dyn TableProvider>))
    }

    pub fn table(&self, name: &str) -> Option<&Arc<TelemetryTable>> {
        self.tables.get(name)
    }

    /// A table's columns with their Kusto types, as queries see them: without the hidden
    /// [`INGESTION_TIME_COLUMN`] its provider may also have.
    pub fn kusto_schema(&self, table: &str) -> Option<Vec<(String, KustoType)>> {
        self.tables.get(table).map(|t| {
            let columns = t.kusto_schema().columns().iter();
            columns
                .filter(|(name, _)| name != INGESTION_TIME_COLUMN)
                .cloned()
                .collect()
        })
    }

    /// Per table the data is known to hold (see [`DataSet::seen_tables`]): how many files, in which
    /// formats, how many bytes.
    pub fn summary(&self) -> Vec<TableSummary> {
        self.tables
            .iter()
            .filter(|(name, _)| self.seen.contains(*name))
            .map(|(name, table)| {
                let mut formats: Vec<&'static str> = table.files().iter().map(|f| f.format.id()).collect();
                formats.sort_unstable();
                formats.dedup();
                TableSummary {
                    table: name.clone(),
                    files: table.files().len(),
                    formats,
                    bytes: table.files().iter().map(|f| f.size).sum(),
                }
            })
            .collect()
    }

    /// Tables the data is known to hold: named by a path, a mapping or a Parquet footer, or seen in a
    /// file's sampled records.
    pub fn seen_tables(&self) -> impl Iterator<Item = &str> {
        self.seen.iter().map(String::as_str)
    }

    /// Files met while walking directories that were not taken (not a data file extension).
    pub fn skipped_paths(&self) -> &[PathBuf] {
        &self.skipped_paths
    }

    /// Files met in a folder that are not telemetry (a relay list, a manifest) and were not read: no
    /// record has a time column, an `ActionType` or a Streaming API envelope.
    pub fn not_telemetry(&self) -> &[PathBuf] {
        &self.not_telemetry
    }

    /// Folders and files met again under another path (symbolic links, loops, hard links), read once.
    pub fn repeats(&self) -> &[Repeat] {
        &self.repeats
    }

    /// Rows read and records skipped so far, filled in as queries run.
    pub fn report(&self) -> &ReadReport {
        &self.report
    }

    /// Registers every table in a DataFusion session under its exact (case-sensitive) name.
    /// Registers the tables, and the rule that lets a query's scans share passes over multi-table
    /// files (see [`crate::install_shared_reads`]).
    pub fn register(&self, context: &SessionContext) -> Result<()> {
        crate::install_shared_reads(context);
        for (name, provider) in self.tables() {
            context.register_table(TableReference::bare(name), provider)?;
        }
        Ok(())
    }
}

/// What a table reads: files found now, or an hourly storage listing resolved when a query runs.
#[derive(Debug, Clone)]
enum Member {
    File(Arc<SourceFile>),
    Listing(Arc<HourlyListing>),
}

impl Member {
    /// Whether its records come in Streaming API envelopes (which say when they were ingested).
    fn has_envelope(&self) -> bool {
        match self {
            Member::File(file) => file.format.has_envelope(),
            Member::Listing(listing) => listing.has_envelope(),
        }
    }
}

/// Adds a file, or a listing represented by one of its blobs (`examined`), to the tables it feeds,
/// with the columns found in it. False when it is not telemetry (nothing added). Sampled records
/// longer than `max_record_bytes` are not held.
fn add_member(
    member: Member,
    examined: &Examined,
    builders: &mut BTreeMap<String, TableBuilder>,
    sampled: &mut BTreeMap<String, u64>,
    max_record_bytes: u64,
) -> Result<bool> {
    match (&examined.footer_schema, &examined.table) {
        (Some(schema), Some(table)) => {
            let extra = schema
                .fields()
                .iter()
                .filter_map(|f| Some((f.name().clone(), KustoType::of_field(f)?)));
            builders
                .entry(table.clone())
                .or_insert_with(|| TableBuilder::new(table))
                .add(member, extra, true);
            Ok(true)
        }
        (Some(_), None) => Err(SourceError::UnknownTable {
            path: examined.file.path.clone(),
            reason: "a Parquet file holds one table, and nothing names it".to_string(),
        }),
        (None, table) => {
            // A table's files share its columns: once enough of its records were sampled (a storage
            // account has a file per hour), later files are not sampled; a column only they carry
            // is reported as ignored by the scan.
            let sampled_enough = table
                .as_ref()
                .is_some_and(|t| sampled.get(t).is_some_and(|n| *n >= SAMPLE_RECORDS));
            let found = if sampled_enough {
                Profile::default()
            } else {
                profile(&examined.file, table.as_deref(), max_record_bytes)?
            };
            if table.is_none() && found.tables.is_empty() && found.has_content && !found.looks_like_telemetry
            {
                return Ok(false);
            }
            for (name, table_profile) in &found.tables {
                *sampled.entry(name.clone()).or_default() += table_profile.records;
            }
            attribute(member, &examined.file.path, table.clone(), found, builders)?;
            Ok(true)
        }
    }
}

/// Adds a profiled text file (or listing) to the tables its records belong to.
fn attribute(
    member: Member,
    path: &Path,
    whole_table: Option<String>,
    found: Profile,
    builders: &mut BTreeMap<String, TableBuilder>,
) -> Result<()> {
    if found.tables.is_empty() && !found.unrouted.is_empty() {
        let (position, reason) = &found.unrouted[0];
        return Err(SourceError::UnknownTable {
            path: path.to_path_buf(),
            reason: format!("{position}: {reason}"),
        });
    }
    // Each table the file feeds: its name, the extra columns the sample showed, whether the sample showed it.
    type Fed = (String, Vec<(String, KustoType)>, bool);
    let mut tables: Vec<Fed> = found
        .tables
        .into_iter()
        .map(|(t, p)| (t, p.columns.into_iter().collect(), true))
        .collect();
    match whole_table {
        // An empty (or header-only) file still makes its table exist.
        Some(table) if tables.is_empty() => tables.push((table, Vec::new(), true)),
        Some(_) => {}
        // Only the first records were sampled: a catalog table may first appear later, so the file
        // feeds every catalog table (scans route each record). Records of a table no file's sample
        // showed are reported by the scans as unrouted, as are the sample's unroutable records.
        None => {
            for table in known_tables() {
                if !tables.iter().any(|(t, _, _)| t == table) {
                    tables.push((table.to_string(), Vec::new(), false));
                }
            }
        }
    }
    for (table, columns, seen) in tables {
        builders
            .entry(table.clone())
            .or_insert_with(|| TableBuilder::new(&table))
            .add(member.clone(), columns, seen);
    }
    Ok(())
}

/// Collects a table's files (and listings) and the extra columns they carry.
struct TableBuilder {
    schema: TableSchema,
    extra: BTreeMap<String, KustoType>,
    files: Vec<Arc<SourceFile>>,
    listings: Vec<Arc<HourlyListing>>,
    /// Some file is known to hold the table's records (see [`DataSet::seen_tables`]).
    seen: bool,
}

impl TableBuilder {
    fn new(table: &str) -> TableBuilder {
        let schema = builtin_schema(table)
            .cloned()
            .unwrap_or_else(|| TableSchema::minimal(table));
        TableBuilder {
            schema,
            extra: BTreeMap::new(),
            files: Vec::new(),
            listings: Vec::new(),
            seen: false,
        }
    }

    fn add(&mut self, member: Member, columns: impl IntoIterator<Item = (String, KustoType)>, seen: bool) {
        self.seen |= seen;
        // Streaming API records say when they were ingested (the envelope's `time`), a hidden column.
        let ingested = member
            .has_envelope()
            .then(|| (INGESTION_TIME_COLUMN.to_string(), KustoType::DateTime));
        for (column, kusto_type) in columns.into_iter().chain(ingested) {
            if self.schema.index_of(&column).is_none() {
                // Files disagreeing on an extra column's type fall back to string.
                self.extra
                    .entry(column)
                    .and_modify(|t| {
                        if *t != kusto_type {
                            *t = KustoType::String;
                        }
                    })
                    .or_insert(kusto_type);
            }
        }
        match member {
            Member::File(file) => self.files.push(file),
            Member::Listing(listing) => self.listings.push(listing),
        }
    }

    fn build(self, context: ReadContext) -> TelemetryTable {
        TelemetryTable::new(
            self.schema.with_extra_columns(self.extra),
            self.files,
            self.listings,
            context,
        )
    }
}

/// Expands a path argument: a directory (walked), a file, or else a glob pattern (a path that exists
/// is taken as it is, even when its name holds `*`, `?` or `[`). Files already met are left out.
fn expand(path: &Path, walk: &mut Walk, skipped: &mut Vec<PathBuf>) -> Result<Vec<PathBuf>> {
    let text = path.to_string_lossy();
    let mut found = Vec::new();
    let repeats_before = walk.repeats().len();
    let mut take = |p: &Path| is_data_file(&p.to_string_lossy());
    // A file named again (`--data a.csv --data a.csv`) counts as found.
    let mut named_again = false;
    let mut add = |entry: &Path, found: &mut Vec<PathBuf>, walk: &mut Walk| -> Result<()> {
        if entry.is_dir() {
            walk.folder(entry, &mut take, found, skipped)
                .map_err(|e| SourceError::io(entry, e))
        } else {
            match walk.first_time(entry).map_err(|e| SourceError::io(entry, e))? {
                true => found.push(entry.to_path_buf()),
                false => named_again = true,
            }
            Ok(())
        }
    };
    if !path.exists() && text.contains(['*', '?', '[']) {
        let entries = glob::glob(&text).map_err(|e| SourceError::Pattern {
            pattern: text.to_string(),
            reason: e.to_string(),
        })?;
        for entry in entries {
            let entry = entry.map_err(|e| {
                let path = e.path().to_path_buf();
                SourceError::io(path, e.into())
            })?;
            add(&entry, &mut found, walk)?;
        }
    } else if path.exists() {
        add(path, &mut found, walk)?;
    }
    if found.is_empty() && !named_again && walk.repeats().len() == repeats_before {
        return Err(SourceError::NothingFound {
            pattern: text.to_string(),
        });
    }
    Ok(found)
}
