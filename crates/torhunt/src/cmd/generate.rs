//! `torhunt gen`: a synthetic fleet at any scale, in any layout torhunt reads, with a manifest of the
//! planted Tor and torrent events and of the rows each founding query must return. For tests,
//! demos and benchmarks.

use std::path::{Path, PathBuf};

use miette::{IntoDiagnostic, WrapErr};
use torhunt_intel::render::render_torrelayips_csv;
use torhunt_intel::{Format as IntelFormat, ParseContext, Snapshot, Store, parse_document, parse_file};
use torhunt_sources::convert_to_parquet;
use torhunt_synth::{FleetConfig, Layout, Manifest, Relay, generate, write_manifest};

use crate::cmd::session::{ReadFlags, discover, runtime};
use crate::exit::Outcome;
use crate::outln;
use crate::output::{self, Stdout};

#[derive(clap::Args)]
pub struct GenArgs {
    /// Devices in the fleet (at least 7: the planted story uses seven).
    #[arg(long, default_value_t = 1000)]
    devices: usize,
    /// Everyday DeviceNetworkEvents rows in the whole window; planted events come on top (one relay
    /// connection, one torrent event and one near miss per 20,000).
    #[arg(long, default_value_t = 1_000_000)]
    events: u64,
    /// Days of telemetry, ending at --end.
    #[arg(long, default_value_t = 7)]
    days: i64,
    /// End of the telemetry (RFC 3339); hunts use it as --now.
    #[arg(long, default_value = "2024-05-02T00:00:00Z", value_parser = parse_end)]
    end: i64,
    /// Output folder: telemetry/, intel/TorRelayIPs.csv and manifest.json. It must be empty or new.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Empty a non-empty output folder first (instead of refusing to write into it).
    #[arg(long)]
    force: bool,
    /// Layout of the telemetry: Streaming API to Event Hub or to Storage, portal CSV export, flat
    /// NDJSON, or typed Parquet (as `torhunt convert` writes it).
    #[arg(long, value_enum, default_value = "eventhub")]
    format: GenFormat,
    /// Seed: the same seed and flags give the same files.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Relays to list and plant connections to: a relay file in any format `intel import` reads
    /// (consensus, Onionoo, exit list, TorRelayIPs.csv, ...) or an intel store folder (its newest
    /// relays). Default: synthetic relays.
    #[arg(long, value_name = "PATH")]
    relays: Option<PathBuf>,
    /// How many synthetic relays to draw when --relays is not given.
    #[arg(long, default_value_t = 7000)]
    synthetic_relays: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GenFormat {
    Eventhub,
    Storage,
    Csv,
    Ndjson,
    Parquet,
}

impl GenFormat {
    /// The text layout written (Parquet is converted from NDJSON).
    pub fn layout(self) -> Layout {
        match self {
            GenFormat::Eventhub => Layout::EventHub,
            GenFormat::Storage => Layout::Storage,
            GenFormat::Csv => Layout::PortalCsv,
            GenFormat::Ndjson | GenFormat::Parquet => Layout::FlatNdjson,
        }
    }
}

fn parse_end(text: &str) -> Result<i64, String> {
    kql_types::time::parse_datetime(text)
        .map(|nanos| nanos.div_euclid(1_000_000_000))
        .ok_or_else(|| format!("`{text}` is not a date and time (use RFC 3339)"))
}

pub fn run(args: GenArgs) -> miette::Result<Outcome> {
    prepare_out_dir(&args.out, args.force)?;
    let relays = args.relays.as_deref().map(read_relays).transpose()?;
    let config = FleetConfig {
        seed: args.seed,
        devices: args.devices,
        network_events: args.events,
        end: args.end,
        days: args.days,
        relays,
        synthetic_relays: args.synthetic_relays,
    };
    let manifest = generate_in(&config, args.format, &args.out)?;
    let mut out = Stdout::lock();
    outln!(
        out,
        "{}: {} rows ({}) in {} over {} days, {} devices, {} relays listed, {} planted events; \
         expected rows: {}",
        output::path(&args.out),
        manifest.total_rows(),
        manifest
            .rows
            .iter()
            .map(|(table, rows)| format!("{table} {rows}"))
            .collect::<Vec<_>>()
            .join(", "),
        human_bytes(manifest.bytes),
        args.days,
        manifest.devices.len(),
        manifest.relays.len(),
        manifest.planted.len(),
        manifest
            .expected_rows
            .iter()
            .map(|(rule, rows)| format!("{rule} {rows}"))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    out.finish()?;
    Ok(Outcome::Clean)
}

/// Makes `out` an empty folder to generate into. Writing over an earlier fleet would mix two fleets
/// (doubled rows, a CSV header read as a row), so a non-empty folder is refused unless `force`, which
/// empties it, except for folders no one means to empty (the root, the home folder, the current folder
/// or one of its parents).
pub fn prepare_out_dir(out: &Path, force: bool) -> miette::Result<()> {
    let shown = output::path(out);
    let mut entries = match std::fs::read_dir(out) {
        Ok(entries) => entries.peekable(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => miette::bail!("{shown}: {e}"),
    };
    if entries.peek().is_none() {
        return Ok(());
    }
    if !force {
        miette::bail!(
            "{shown} is not empty; choose a new or empty folder, or pass --force to empty it first"
        );
    }
    let target = std::fs::canonicalize(out).into_diagnostic()?;
    let protected = std::env::current_dir()
        .ok()
        .and_then(|cwd| std::fs::canonicalize(cwd).ok())
        .is_some_and(|cwd| cwd.starts_with(&target))
        || target.parent().is_none()
        || std::env::var_os("HOME").is_some_and(|home| Path::new(&home) == target);
    if protected {
        miette::bail!("{shown}: refusing to empty the root, home or current folder (or a parent of it)");
    }
    for entry in entries {
        let path = entry.into_diagnostic()?.path();
        let removed = if path.is_dir() && !path.is_symlink() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed
            .into_diagnostic()
            .wrap_err_with(|| format!("emptying {shown}: removing {}", output::path(&path)))?;
    }
    Ok(())
}

/// Generates a fleet under `out` in `format`; Parquet is written as NDJSON first and converted.
pub fn generate_in(config: &FleetConfig, format: GenFormat, out: &Path) -> miette::Result<Manifest> {
    let mut manifest = generate(config, format.layout(), out)
        .into_diagnostic()
        .wrap_err_with(|| format!("generating a fleet in {}", out.display()))?;
    if format == GenFormat::Parquet {
        let text = out.join(&manifest.telemetry_dir);
        let staging = out.join("telemetry-ndjson");
        std::fs::rename(&text, &staging)
            .into_diagnostic()
            .wrap_err_with(|| format!("moving {} aside", text.display()))?;
        let data = discover(
            std::slice::from_ref(&staging),
            &[],
            &ReadFlags {
                strict: true,
                ..ReadFlags::default()
            },
        )?;
        runtime(None)?
            .block_on(convert_to_parquet(&data, &text))
            .into_diagnostic()
            .wrap_err_with(|| format!("writing Parquet to {}", text.display()))?;
        std::fs::remove_dir_all(&staging)
            .into_diagnostic()
            .wrap_err_with(|| format!("removing {}", staging.display()))?;
        manifest.layout = "parquet".to_string();
        manifest.bytes = folder_size(&text)?;
        write_manifest(out, &manifest).into_diagnostic()?;
    }
    Ok(manifest)
}

/// The relays of a relay file (any intel format) or of an intel store's newest view.
fn read_relays(path: &Path) -> miette::Result<Vec<Relay>> {
    let snapshot: Snapshot = if path.is_dir() {
        let store = Store::load(path)
            .into_diagnostic()
            .wrap_err_with(|| format!("loading the intel store {}", path.display()))?;
        let csv = render_torrelayips_csv(&store, None);
        let context = ParseContext {
            source: path.display().to_string(),
            time: None,
        };
        parse_document(csv.as_bytes(), IntelFormat::TorRelayIpsCsv, &context).into_diagnostic()?
    } else {
        parse_file(path, IntelFormat::Auto, None)
            .into_diagnostic()
            .wrap_err_with(|| format!("reading relays from {}", path.display()))?
    };
    let relays: Vec<Relay> = snapshot
        .relays
        .iter()
        .enumerate()
        .filter_map(|(index, observation)| {
            let addresses = observation.addresses();
            let ipv4 = addresses.iter().find(|(ip, ..)| ip.is_ipv4());
            let ipv6 = addresses.iter().find(|(ip, ..)| ip.is_ipv6());
            let (address, port, _) = ipv4.or(ipv6)?;
            Some(Relay {
                nickname: observation
                    .nickname
                    .clone()
                    .unwrap_or_else(|| format!("Unnamed{index}")),
                fingerprint: observation.fingerprint.map(|f| f.to_string()).unwrap_or_default(),
                address: address.to_string(),
                ipv6: ipv4.and(ipv6).map(|(ip, ..)| ip.to_string()),
                // Lists without ports (exit lists, plain lists): the usual ORPort.
                port: port.unwrap_or(9001),
                country: observation.country.clone().unwrap_or_default(),
            })
        })
        .collect();
    Ok(relays)
}

fn folder_size(dir: &Path) -> miette::Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).into_diagnostic()? {
        let entry = entry.into_diagnostic()?;
        let metadata = entry.metadata().into_diagnostic()?;
        total += if metadata.is_dir() {
            folder_size(&entry.path())?
        } else {
            metadata.len()
        };
    }
    Ok(total)
}

fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}
