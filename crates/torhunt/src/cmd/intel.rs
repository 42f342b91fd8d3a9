//! `torhunt intel ...`: fill and query the local Tor relay store. Flags and printing only; the work is
//! done by `torhunt_intel`.

use std::io::Read;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use comfy_table::Table;
use miette::{IntoDiagnostic, Result, miette};
use torhunt_intel::render::{render_ndjson, render_onionoo_summary, render_torrelayips_csv};
use torhunt_intel::update::{FetchOutcome, UpdateOptions, update};
use torhunt_intel::{Format, ImportOptions, ImportOutcome, ImportReport, Match, Store, default_store_dir};

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

pub fn run(args: IntelArgs) -> Result<ExitCode> {
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
            let mut store = Store::load(&dir).into_diagnostic()?;
            let options = ImportOptions { accept_shrinking };
            let mut failed = false;
            let mut changed = false;
            for path in &document_files(&paths).into_diagnostic()? {
                match store.import_file(path, format, at, options) {
                    Ok(report) => {
                        changed |= matches!(report.outcome, ImportOutcome::Imported { .. });
                        print_import(&report);
                    }
                    Err(e) => {
                        failed = true;
                        eprintln!("error: {e}");
                    }
                }
            }
            if changed {
                store.save(&dir).into_diagnostic()?;
            }
            Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
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
            for url in &report.urls {
                match &url.outcome {
                    FetchOutcome::Fetched(import) => print_import(import),
                    FetchOutcome::NotModified => println!("{}: not modified", url.url),
                    FetchOutcome::Failed(reason) => eprintln!("error: {}: {reason}", url.url),
                }
            }
            Ok(if report.any_failed() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        IntelCommand::Lookup { ip, at } => {
            let store = Store::load(&dir).into_diagnostic()?;
            let answer = store.lookup(ip, at.unwrap_or_else(Utc::now));
            if !answer.in_coverage {
                println!(
                    "warning: no snapshot in the store covers {}; \"no relay\" means \"unknown\" (see `torhunt intel status`)",
                    answer.at
                );
            }
            if answer.active.is_empty() {
                println!("{ip} was not a known Tor relay at {}", answer.at);
            } else {
                println!("{ip} was a Tor relay at {}:", answer.at);
                println!("{}", matches_table(&answer.active));
            }
            if !answer.nearby.is_empty() {
                println!("Within a day of that time:");
                println!("{}", matches_table(&answer.nearby));
            }
            Ok(ExitCode::SUCCESS)
        }
        IntelCommand::Export { format, at, output } => {
            let store = Store::load(&dir).into_diagnostic()?;
            let text = match format {
                ExportFormat::TorrelayipsCsv => render_torrelayips_csv(&store, at),
                ExportFormat::OnionooSummary => render_onionoo_summary(&store, at),
                ExportFormat::Ndjson => render_ndjson(&store, at),
            };
            match output {
                Some(path) => std::fs::write(&path, text).map_err(|e| miette!("{}: {e}", path.display()))?,
                None => write_stdout(&text)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        IntelCommand::Status { now } => {
            let store = Store::load(&dir).into_diagnostic()?;
            let status = store.status(now.unwrap_or_else(Utc::now));
            println!("store: {}", dir.display());
            println!(
                "{} snapshots, {} relays, {} addresses, {} intervals",
                status.snapshots, status.relays, status.addresses, status.intervals
            );
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
            println!("{table}");
            match (status.newest_snapshot, status.age_seconds) {
                (Some(newest), Some(age)) => {
                    let hours = age / 3600;
                    let stale = if status.stale {
                        " (STALE: run `torhunt intel update`)"
                    } else {
                        ""
                    };
                    println!("newest snapshot: {newest}, {hours} h old{stale}");
                }
                _ => println!("the store is empty: run `torhunt intel update` or `torhunt intel import`"),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Writes to standard output; a reader that stops early (`| head`) is not an error.
fn write_stdout(text: &str) -> Result<()> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(miette!("writing the export: {e}")),
        _ => Ok(()),
    }
}

/// The files to import: each file as given, and each directory's files (recursively) in name order
/// (dated names sort by time). Inside directories, files that are not recognisably a Tor document
/// (a README, say) are skipped with a note; a file named explicitly is always tried.
fn document_files(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            files.extend(directory_documents(path)?);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn directory_documents(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    entries.sort();
    let mut files = Vec::new();
    for path in entries {
        if path.is_dir() {
            files.extend(directory_documents(&path)?);
            continue;
        }
        let mut head = vec![0; 4096];
        let read = std::fs::File::open(&path).and_then(|mut f| f.read(&mut head))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if torhunt_intel::formats::detect(&head[..read], &name).is_some() {
            files.push(path);
        } else {
            eprintln!("note: {}: not a recognised Tor document, skipped", path.display());
        }
    }
    Ok(files)
}

fn print_import(report: &ImportReport) {
    let what = format!("{} ({} at {})", report.source, report.kind, report.time);
    match &report.outcome {
        ImportOutcome::Imported { addresses, relays } => {
            println!("{what}: imported {addresses} addresses, {relays} entries")
        }
        ImportOutcome::AlreadyImported => println!("{what}: already imported, unchanged"),
        ImportOutcome::Rejected { reason } => eprintln!("warning: {what}: rejected: {reason}"),
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
            m.nickname.clone().unwrap_or_default(),
            m.role.to_string(),
            m.flags.join(" "),
            m.from.to_string(),
            m.until.to_string(),
            m.kind.to_string(),
        ]);
    }
    table
}
