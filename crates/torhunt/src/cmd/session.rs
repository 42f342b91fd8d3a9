//! The flags every data-reading subcommand shares, and the engine they configure.

use std::path::PathBuf;

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use miette::{IntoDiagnostic, WrapErr};
use torhunt_cluster::Cluster;
use torhunt_engine::{Engine, EngineConfig, NetworkAccess};
use torhunt_intel::{Store, default_store_dir};
use torhunt_rules::testing::register_tables;
use torhunt_sources::{DataSet, NOT_TELEMETRY, ReadOptions, ReadReport, Repeat, Stores};

use torhunt_rules::relay_intel;

use crate::cleanup::{self, TempFolder};
use crate::cmd::storage::StorageFlags;
use crate::note;
use crate::output::{self, safe};

#[derive(clap::Args)]
pub struct SessionArgs {
    /// Telemetry to read: files, directories, globs, or storage URLs (az://, abfss://,
    /// https://<account>.blob.core.windows.net/, s3://, gs://). Repeatable. Tables are recognised from
    /// content.
    #[arg(long, value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Read PATH as table NAME, whatever its content says. Repeatable.
    #[arg(long = "table", value_name = "NAME=PATH", value_parser = table_mapping)]
    pub tables: Vec<(String, PathBuf)>,
    /// The time `now()` and `ago()` refer to (RFC 3339, e.g. 2022-11-19T10:00:00Z); default: the clock.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub now: Option<i64>,
    /// Let externaldata download HTTP(S) URLs that no mapping or intel store serves (60 s timeout,
    /// 256 MiB limit, cached for 12 h under ~/.cache/torhunt/externaldata).
    #[arg(long)]
    pub allow_network: bool,
    /// Serve an externaldata URL from a local file. Repeatable.
    #[arg(long = "externaldata", value_name = "URL=PATH", value_parser = table_mapping)]
    pub externaldata: Vec<(String, PathBuf)>,
    /// Let externaldata `file://` URLs and plain paths read files inside DIR (by default queries and
    /// rules read no local file by themselves). Repeatable.
    #[arg(long = "allow-files", value_name = "DIR")]
    pub allow_files: Vec<PathBuf>,
    /// Worker threads (default: every core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Cap on query memory, e.g. 512M or 4G (default: unbounded).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub memory_limit: Option<usize>,
    /// Time limit for the queries (all rules of a hunt together), e.g. 30s, 10m or 1h: a query still
    /// running then fails with exit status 2 (default: none).
    #[arg(long, value_name = "TIMESPAN", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,
    #[command(flatten)]
    pub read: ReadFlags,
    /// The Tor relay intel store (default: $TORHUNT_INTEL_DIR, else ~/.local/share/torhunt/intel).
    #[arg(long, value_name = "DIR")]
    pub intel: Option<PathBuf>,
    /// A MaxMind-format location database (GeoLite2-City or DB-IP City Lite `.mmdb`) for
    /// `geo_info_from_ip_address`.
    #[arg(long, value_name = "FILE")]
    pub geoip: Option<PathBuf>,
    /// Run the queries on a Ballista cluster (`torhunt cluster scheduler`), e.g. df://10.0.0.5:50050.
    /// This process still lists and plans; every executor must see the --data files at the same
    /// paths.
    #[arg(long, value_name = "df://HOST:PORT")]
    pub cluster: Option<String>,
}

/// When the command started: `--timeout` counts from here, whatever stage it is in.
static COMMAND_STARTED: OnceLock<Instant> = OnceLock::new();

/// Notes the command's start; called first thing (later calls keep the first instant).
pub fn mark_command_start() {
    COMMAND_STARTED.get_or_init(Instant::now);
}

fn command_started() -> Instant {
    *COMMAND_STARTED.get_or_init(Instant::now)
}

/// An engine with the session's tables and externaldata mappings registered.
pub struct Session {
    pub engine: Engine,
    data: DataSet,
    /// Removed after the engine (fields drop in order), and on signals.
    _spill: TempFolder,
}

pub async fn open_engine(args: &SessionArgs) -> miette::Result<Session> {
    let BaseEngine { mut engine, spill } = base_engine(args).await?;
    let data = discover(&args.data, &args.tables, &args.read)?;
    register_tables(&mut engine, &data);
    Ok(Session {
        engine,
        data,
        _spill: spill,
    })
}

/// An engine configured by the session's flags (externaldata, intel, geoip, cluster) with no tables
/// yet: `watch` clones it for each set of files it reads.
pub struct BaseEngine {
    pub engine: Engine,
    /// Removed after the engine, and on signals.
    pub spill: TempFolder,
}

pub async fn base_engine(args: &SessionArgs) -> miette::Result<BaseEngine> {
    let spill = TempFolder::new("spill")
        .into_diagnostic()
        .wrap_err("creating a folder for spill files")?;
    let config = EngineConfig {
        threads: args.threads,
        memory_limit: args.memory_limit,
        now: args.now,
        spill_dir: Some(spill.path().to_path_buf()),
        timeout: args.timeout,
        started: Some(command_started()),
    };
    if let Some(timeout) = args.timeout {
        let end = command_started() + timeout + TIMEOUT_GRACE;
        cleanup::end_after(end.saturating_duration_since(Instant::now()), timeout);
    }
    let mut engine = Engine::new(config)
        .into_diagnostic()
        .wrap_err("creating the query engine")?;
    for (url, path) in &args.externaldata {
        engine.external_data_mut().map_url(url.clone(), path.clone());
    }
    for dir in &args.allow_files {
        engine
            .external_data_mut()
            .allow_files(dir)
            .into_diagnostic()
            .wrap_err_with(|| format!("--allow-files {}", output::path(dir)))?;
    }
    if args.allow_network {
        let cache = externaldata_cache_dir().ok_or_else(|| {
            miette::miette!("--allow-network needs a cache directory: set XDG_CACHE_HOME or HOME")
        })?;
        engine
            .external_data_mut()
            .allow_network(NetworkAccess::with_cache_dir(cache));
    }
    let store = load_store(args.intel.as_deref())?;
    relay_intel::register(&mut engine, Arc::new(store))
        .into_diagnostic()
        .wrap_err("registering the Tor relay intel")?;
    if let Some(path) = &args.geoip {
        engine
            .load_geoip(path)
            .map_err(|reason| miette::miette!("--geoip: {reason}"))?;
    }
    if let Some(url) = &args.cluster {
        let cluster = Cluster::connect(url)
            .await
            .map_err(|error| miette::miette!("--cluster: {error}"))?;
        engine.run_on(Arc::new(cluster));
    }
    Ok(BaseEngine { engine, spill })
}

impl Session {
    /// What the readers met so far (rows, malformed records), per table and file.
    pub fn read_report(&self) -> &ReadReport {
        self.data.report()
    }

    /// Tells the user, on stderr, about records the readers had to skip.
    pub fn report_skipped(&self) {
        print_read_report(self.data.report());
    }

    /// Tells the user, on stderr, which of `tables` the data has no telemetry for (read as empty
    /// tables), and which it did not show in the sampled records of its multi-table files (read from
    /// them all the same).
    pub fn warn_missing_tables<'t>(&self, tables: impl IntoIterator<Item = &'t str>) {
        let seen: Vec<&str> = self.data.seen_tables().collect();
        for table in tables {
            if !self.engine.has_telemetry(table) {
                note!("warning: no telemetry for {table} in --data; it is read as an empty table");
            } else if !seen.contains(&table) {
                note!(
                    "warning: no telemetry for {table} in the sampled records of --data; its multi-table \
                     files are read for it"
                );
            }
        }
    }
}

/// The relay intel store in `dir`, else the default store (`None`: no store, an empty one).
pub fn load_store(dir: Option<&std::path::Path>) -> miette::Result<Store> {
    match dir.map(std::path::Path::to_path_buf).or_else(default_store_dir) {
        Some(dir) => Store::load(&dir)
            .into_diagnostic()
            .wrap_err("loading the Tor relay intel store"),
        None => Ok(Store::default()),
    }
}

/// Where downloaded externaldata is cached: `$XDG_CACHE_HOME/torhunt/externaldata`, else
/// `~/.cache/torhunt/externaldata`.
fn externaldata_cache_dir() -> Option<PathBuf> {
    let non_empty = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    non_empty("XDG_CACHE_HOME")
        .or_else(|| non_empty("HOME").map(|home| home.join(".cache")))
        .map(|cache| cache.join("torhunt").join("externaldata"))
}

/// A Tokio runtime with `threads` workers (default: one per core).
pub fn runtime(threads: Option<usize>) -> miette::Result<tokio::runtime::Runtime> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if let Some(threads) = threads {
        builder.worker_threads(threads.max(1));
    }
    builder
        .enable_all()
        .build()
        .into_diagnostic()
        .wrap_err("starting the runtime")
}

/// How telemetry files are read; shared by every command that reads them.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ReadFlags {
    /// Fail on the first malformed record (or an incomplete last record) instead of skipping and
    /// reporting it.
    #[arg(long)]
    pub strict: bool,
    /// Read each file in one piece instead of in parallel byte ranges (needed only for a CSV file
    /// whose quoted values hold line breaks at a split point; torhunt says so when it meets one).
    #[arg(long)]
    pub no_split: bool,
    /// Parse every record, instead of skipping unparsed the records that cannot match the query's
    /// string filters (the answers are the same; this is for comparing and timing).
    #[arg(long)]
    pub no_prefilter: bool,
    /// Read multi-table files once per table a query reads, instead of once for all of them (the
    /// answers are the same; this is for comparing and timing).
    #[arg(long)]
    pub no_shared_reads: bool,
    #[command(flatten)]
    pub storage: StorageFlags,
    /// The longest record read, decompressed (e.g. 64M; default 16M): a longer JSON line is skipped and
    /// reported without being held in memory, a longer CSV record fails the read.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_record_size: Option<usize>,
}

/// Discovers telemetry, with the error wrapped for the user; folders and files met twice (links,
/// loops) are noted on stderr.
pub(crate) fn discover(
    paths: &[PathBuf],
    tables: &[(String, PathBuf)],
    flags: &ReadFlags,
) -> miette::Result<DataSet> {
    let data = DataSet::discover_with(paths, tables, read_options(flags), &stores(flags))
        .into_diagnostic()
        .wrap_err("finding telemetry")?;
    for path in data.not_telemetry() {
        note!("warning: skipped {}: {NOT_TELEMETRY}", crate::output::path(path));
    }
    print_repeats(data.repeats());
    Ok(data)
}

/// How the readers read, from the flags.
pub(crate) fn read_options(flags: &ReadFlags) -> ReadOptions {
    let defaults = ReadOptions::default();
    ReadOptions {
        strict: flags.strict,
        prefilter: !flags.no_prefilter,
        shared_reads: !flags.no_shared_reads,
        split_bytes: if flags.no_split {
            u64::MAX
        } else {
            defaults.split_bytes
        },
        max_record_bytes: flags
            .max_record_size
            .map_or(defaults.max_record_bytes, |size| size as u64),
        ..defaults
    }
}

/// The storage accounts reachable with the flags' settings.
pub(crate) fn stores(flags: &ReadFlags) -> Stores {
    Stores::new(flags.storage.settings())
}

/// Notes, on stderr, paths that lead to a folder or file already met.
pub(crate) fn print_repeats(repeats: &[Repeat]) {
    for repeat in repeats {
        note!(
            "note: {} is {} already met as {}: read once",
            output::path(&repeat.path),
            if repeat.path.is_dir() {
                "a folder"
            } else {
                "a file"
            },
            output::path(&repeat.same_as)
        );
    }
}

/// Prints, on stderr, the records the readers skipped and the files still being written.
pub(crate) fn print_read_report(report: &ReadReport) {
    print_read_report_of(report, &|path| path.to_path_buf());
}

/// [`print_read_report`], naming each file read as `name` calls it (`watch` reads copies of the new
/// records and names the files they came from).
pub(crate) fn print_read_report_of(report: &ReadReport, name: &dyn Fn(&std::path::Path) -> PathBuf) {
    // Per table: records and whole Event Hub messages skipped unparsed.
    let mut unparsed: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
    // Every table's scan of a mapped file counts the same records of unmapped kinds: note them once.
    let mut not_mapped: std::collections::BTreeMap<PathBuf, u64> = Default::default();
    for (table, path, file) in report.files() {
        let path = name(&path);
        let skipped = unparsed.entry(table.clone()).or_default();
        skipped.0 += file.skipped_unparsed;
        skipped.1 += file.messages_skipped_unparsed;
        let most = not_mapped.entry(path.clone()).or_default();
        *most = (*most).max(file.not_mapped);
        let (table, path) = (safe(&table), output::path(&path));
        if file.skipped > 0 {
            note!("{table}: {path}: {} malformed record(s) skipped", file.skipped);
            for skipped in &file.reasons {
                note!("  {}: {}", skipped.position, safe(&skipped.reason));
            }
        }
        if let Some(position) = file.incomplete_tail {
            note!("{table}: {path}: incomplete last record at {position} (still being written?)");
        }
        if !file.ignored_columns.is_empty() {
            note!(
                "{table}: {path}: columns not in the schema, ignored: {}",
                safe(&file.ignored_columns.join(", "))
            );
        }
    }
    for (path, count) in not_mapped.into_iter().filter(|(_, count)| *count > 0) {
        note!(
            "{}: {count} record(s) of kinds torhunt maps onto no table, left out (docs/mappings.md)",
            output::path(&path)
        );
    }
    let shared = report.shared_reads();
    if shared.reads_saved > 0 || shared.over_budget > 0 {
        note!(
            "{} read(s) of multi-table files saved: {} pass(es) read for several tables at once{}",
            shared.reads_saved,
            shared.shared_passes,
            match shared.over_budget {
                0 => String::new(),
                n =>
                    format!("; {n} table(s) read a file again, their rows over the shared-read memory budget"),
            }
        );
    }
    for (table, (records, messages)) in unparsed {
        let what = match (records, messages) {
            (0, 0) => continue,
            (records, 0) => format!("{records} record(s)"),
            (0, messages) => format!("{messages} whole Event Hub message(s)"),
            (records, messages) => format!("{records} record(s) and {messages} whole Event Hub message(s)"),
        };
        note!(
            "{}: {what} skipped unparsed: they cannot match the query's filters or, in files mixing \
             tables, hold no record of the table (not checked for malformation; --strict reads and \
             checks every record)",
            safe(&table)
        );
    }
}

/// Parses `NAME=PATH`.
pub(crate) fn table_mapping(text: &str) -> Result<(String, PathBuf), String> {
    match text.split_once('=') {
        Some((name, path)) if !name.is_empty() && !path.is_empty() => {
            Ok((name.to_string(), PathBuf::from(path)))
        }
        _ => Err(format!("expected NAME=PATH, got `{text}`")),
    }
}

fn parse_time(text: &str) -> Result<i64, String> {
    kql_types::time::parse_datetime(text)
        .ok_or_else(|| format!("`{text}` is not a date and time (use RFC 3339)"))
}

/// How long past `--timeout` work that does not notice the deadline (one long computation inside a
/// batch) may go on before the process is ended.
const TIMEOUT_GRACE: Duration = Duration::from_secs(10);

/// A positive Kusto timespan (`30s`, `10m`, `1h`, `00:05:00`).
pub(crate) fn parse_timeout(text: &str) -> Result<Duration, String> {
    match kql_types::time::parse_timespan(text) {
        Some(nanos) if nanos > 0 => Ok(Duration::from_nanos(nanos as u64)),
        _ => Err(format!(
            "`{text}` is not a positive timespan such as 30s, 10m or 1h"
        )),
    }
}

fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size such as 512M or 4G"))?;
    let multiplier = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1u64,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        "T" | "TB" | "TIB" => 1 << 40,
        _ => return Err(format!("`{text}` has an unknown size unit (use K, M, G or T)")),
    };
    Ok((number * multiplier as f64) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_accept_binary_units() {
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("1.5G"), Ok(3 << 29));
        assert!(parse_size("lots").is_err());
    }
}
