//! `torhunt intel ...`: fill and query the local Tor relay store. Flags and printing only; the work is
//! done by `torhunt_intel`.

use std::io::Read;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use comfy_table::Table;
use miette::{IntoDiagnostic, Result, miette};
use torhunt_intel::render::{render_ndjson, render_onionoo_summary, render_torrelayips_csv};
use torhunt_intel::update::{FetchOutcome, UpdateOptions, update};
use torhunt_intel::{Format, ImportOptions, ImportOutcome, ImportReport, Match, Store, default_store_dir};
use torhunt_sources::Walk;

use crate::cmd::session::print_repeats;
use crate::exit::Outcome;
use crate::output::{self, OutputError, Stdout, safe};
use crate::{note, outln};

#[derive(Debug, Args)]
pub struct IntelArgs {
    /// Store directory [default: $TORHUNT_INTEL_DIR, else $XDG_DATA_HOME/torhunt/intel, else
    /// ~/.local/share/torhunt/intel]
    #[arg(long, global = true, value_name = "DIR")]
    intel: Option<PathBuf>,

    #[command(subcommand)]
    command: IntelCommand,
}

#[derive(Debug, Subcommand)]
enum IntelCommand {
    /// Import documents: consensuses, Onionoo details/summary, TorDNSEL exit lists, plain exit or relay
    /// lists, TorRelayIPs.csv
    Import {
        /// Files, or directories whose files are imported in name order (dated names sort by time)
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Time of undated documents (plain lists, CSV); default: a YYYY-MM-DD in the file name
        #[arg(long, value_parser = parse_time)]
        at: Option<DateTime<Utc>>,
        #[arg(long, default_value = "auto", value_parser = parse_format)]
        format: Format,
        /// Accept snapshots with less than half the addresses of the previous one of their kind
        #[arg(long)]
        accept_shrinking: bool,
    },
    /// Download the Onionoo details document and the bulk exit list (or --url ...) into the store
    Update {
        /// URL to fetch instead of the defaults; repeatable
        #[arg(long = "url", value_name = "URL")]
        urls: Vec<String>,
        #[arg(long)]
        accept_shrinking: bool,
    },
    /// Was this address a Tor relay at that time? (ExoneraTor-style)
    Lookup {
        ip: IpAddr,
        /// Default: now
        #[arg(long, value_parser = parse_time)]
        at: Option<DateTime<Utc>>,
    },
    /// Write the relays current at a time (default: the newest snapshot)
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        #[arg(long, value_parser = parse_time)]
        at: Option<DateTime<Utc>>,
        /// Default: standard output
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Counts, coverage per source and freshness of the store
    Status {
        /// The time to measure staleness against; default: now
        #[arg(long, value_parser = parse_time)]
        now: Option<DateTime<Utc>>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFormat {
    TorrelayipsCsv,
    OnionooSummary,
    Ndjson,
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    torhunt_intel::parse_user_time(text)
}

fn parse_format(text: &str) -> Result<Format, String> {
    text.parse()
}

pub fn run(args: IntelArgs) -> Result<Outcome> {
    let dir = match args.intel.or_else(default_store_dir) {
        Some(dir) => dir,
        None => {
            return Err(miette!(
                "no store directory: pass --intel DIR or set TORHUNT_INTEL_DIR"
            ));
        }
    };
    match args.command {
        IntelCommand::Import {
            paths,
            at,
            format,
            accept_shrinking,
        } => {
            // Another import or update waits until this one has saved (and this one for it).
            let _lock = Store::lock(&dir).into_diagnostic()?;
            let mut store = Store::load(&dir).into_diagnostic()?;
            let options = ImportOptions { accept_shrinking };
            // Whatever happens to the output (`| head -1`, a full disk), the import is saved.
            let mut out = Stdout::deferring_errors();
            let mut failed = false;
            let mut changed = false;
            for path in &document_files(&paths).into_diagnostic()? {
                match store.import_file(path, format, at, options) {
                    Ok(report) => {
                        changed |= matches!(report.outcome, ImportOutcome::Imported { .. });
                        failed |= matches!(report.outcome, ImportOutcome::Rejected { .. });
                        print_import(&mut out, &report)?;
                    }
                    Err(e) => {
                        failed = true;
                        note!("error: {}", safe(&e.to_string()));
                    }
                }
            }
            if changed {
                store.save(&dir).into_diagnostic()?;
            }
            out.finish()?;
            Ok(if failed { Outcome::Failed } else { Outcome::Clean })
        }
        IntelCommand::Update {
            urls,
            accept_shrinking,
        } => {
            let mut options = UpdateOptions {
                import: ImportOptions { accept_shrinking },
                ..UpdateOptions::default()
            };
            if !urls.is_empty() {
                options.urls = urls;
            }
            let report = update(&dir, &options).into_diagnostic()?;
            let mut out = Stdout::lock();
            for url in &report.urls {
                match &url.outcome {
                    FetchOutcome::Fetched(import) => print_import(&mut out, import)?,
                    FetchOutcome::NotModified => outln!(out, "{}: not modified", safe(&url.url))?,
                    FetchOutcome::Failed(reason) => note!("error: {}: {}", safe(&url.url), safe(reason)),
                }
            }
            out.finish()?;
            let rejected = report.urls.iter().any(|u| {
                matches!(&u.outcome, FetchOutcome::Fetched(i) if matches!(i.outcome, ImportOutcome::Rejected { .. }))
            });
            Ok(if report.any_failed() || rejected {
                Outcome::Failed
            } else {
                Outcome::Clean
            })
        }
        IntelCommand::Lookup { ip, at } => {
            let store = Store::load(&dir).into_diagnostic()?;
            let answer = store.lookup(ip, at.unwrap_or_else(Utc::now));
            let mut out = Stdout::lock();
            if !answer.in_coverage {
                outln!(
                    out,
                    "warning: no snapshot in the store covers {}; \"no relay\" means \"unknown\" (see `torhunt intel status`)",
                    answer.at
                )?;
            }
            if answer.active.is_empty() {
                outln!(out, "{ip} was not a known Tor relay at {}", answer.at)?;
            } else {
                outln!(out, "{ip} was a Tor relay at {}:", answer.at)?;
                outln!(out, "{}", matches_table(&answer.active))?;
            }
            if !answer.nearby.is_empty() {
                outln!(out, "Within a day of that time:")?;
                outln!(out, "{}", matches_table(&answer.nearby))?;
            }
            out.finish()?;
            Ok(Outcome::Clean)
        }
        IntelCommand::Export { format, at, output } => {
            let store = Store::load(&dir).into_diagnostic()?;
            let text = match format {
                ExportFormat::TorrelayipsCsv => render_torrelayips_csv(&store, at),
                ExportFormat::OnionooSummary => render_onionoo_summary(&store, at),
                ExportFormat::Ndjson => render_ndjson(&store, at),
            };
            match output {
                Some(path) => {
                    std::fs::write(&path, text).map_err(|e| miette!("{}: {e}", output::path(&path)))?
                }
                None => {
                    let mut out = Stdout::lock();
                    std::io::Write::write_all(&mut out, text.as_bytes()).map_err(OutputError)?;
                    out.finish()?;
                }
            }
            Ok(Outcome::Clean)
        }
        IntelCommand::Status { now } => {
            let store = Store::load(&dir).into_diagnostic()?;
            let status = store.status(now.unwrap_or_else(Utc::now));
            let mut out = Stdout::lock();
            outln!(out, "store: {}", output::path(&dir))?;
            outln!(
                out,
                "{} snapshots, {} relays, {} addresses, {} intervals",
                status.snapshots,
                status.relays,
                status.addresses,
                status.intervals
            )?;
            let mut table = Table::new();
            table.set_header(["Source", "Snapshots", "Earliest", "Latest", "Covered until"]);
            for c in &status.coverage {
                table.add_row([
                    c.kind.to_string(),
                    c.snapshots.to_string(),
                    c.earliest.to_string(),
                    c.latest.to_string(),
                    c.covered_until.to_string(),
                ]);
            }
            outln!(out, "{table}")?;
            match (status.newest_snapshot, status.age_seconds) {
                (Some(newest), Some(age)) => {
                    let hours = age / 3600;
                    let stale = if status.stale {
                        " (STALE: run `torhunt intel update`)"
                    } else {
                        ""
                    };
                    outln!(out, "newest snapshot: {newest}, {hours} h old{stale}")?;
                }
                _ => outln!(
                    out,
                    "the store is empty: run `torhunt intel update` or `torhunt intel import`"
                )?,
            }
            out.finish()?;
            Ok(Outcome::Clean)
        }
    }
}

/// The files to import: each file as given, and each directory's files (recursively) in name order
/// (dated names sort by time), every file once however many links lead to it. Inside directories,
/// files that are not recognisably a Tor document (a README, say) are skipped with a note; a file
/// named explicitly is always tried.
fn document_files(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut walk = Walk::new();
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut others = Vec::new();
            walk.folder(path, &mut is_tor_document, &mut files, &mut others)?;
            for other in others {
                note!(
                    "note: {}: not a recognised Tor document, skipped",
                    output::path(&other)
                );
            }
        } else if walk.first_time(path)? {
            files.push(path.clone());
        }
    }
    print_repeats(walk.repeats());
    Ok(files)
}

fn is_tor_document(path: &Path) -> bool {
    let mut head = vec![0; 4096];
    let Ok(read) = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)) else {
        return true; // Tried, so that the import reports the error.
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    torhunt_intel::formats::detect(&head[..read], &name).is_some()
}

fn print_import(out: &mut Stdout, report: &ImportReport) -> Result<(), OutputError> {
    let what = format!("{} ({} at {})", safe(&report.source), report.kind, report.time);
    match &report.outcome {
        ImportOutcome::Imported { addresses, relays } => {
            outln!(out, "{what}: imported {addresses} addresses, {relays} entries")
        }
        ImportOutcome::AlreadyImported => outln!(out, "{what}: already imported, unchanged"),
        ImportOutcome::Rejected { reason } => {
            note!("warning: {what}: rejected: {}", safe(reason));
            Ok(())
        }
    }
}

fn matches_table(matches: &[Match]) -> Table {
    let mut table = Table::new();
    table.set_header([
        "Address",
        "Fingerprint",
        "Nickname",
        "Role",
        "Flags",
        "From",
        "Until",
        "Source",
    ]);
    for m in matches {
        table.add_row([
            m.address.to_string(),
            m.fingerprint.map(|f| f.to_string()).unwrap_or_default(),
            safe(m.nickname.as_deref().unwrap_or_default()).into_owned(),
            m.role.to_string(),
            safe(&m.flags.join(" ")).into_owned(),
            m.from.to_string(),
            m.until.to_string(),
            m.kind.to_string(),
        ]);
    }
    table
}
