//! `torhunt demo`: generate a small synthetic fleet with planted Tor and torrent activity, hunt it with
//! the shipped rules, and explain what was found and why. Offline; the relay list is synthetic.

use std::path::{Path, PathBuf};

use clap::Parser;
use miette::{IntoDiagnostic, WrapErr};
use torhunt_intel::{Format as IntelFormat, ImportOptions, Store};
use torhunt_rules::HuntReport;
use torhunt_synth::{FleetConfig, Manifest};

use crate::cleanup::TempFolder;
use crate::cmd::generate::{GenFormat, generate_in, prepare_out_dir};
use crate::cmd::hunt::{HuntArgs, finish, run_hunt};
use crate::exit::Outcome;
use crate::outln;
use crate::output::{self, OutputError, Stdout};

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Seed of the generated fleet (the same seed gives the same fleet).
    #[arg(long, default_value_t = FleetConfig::default().seed)]
    seed: u64,
    /// How many devices the fleet has (at least 7: the planted scenarios use seven).
    #[arg(long, default_value_t = FleetConfig::default().devices)]
    devices: usize,
    /// The layout to write: Streaming API to Event Hub or Storage, portal CSV export, NDJSON or Parquet.
    #[arg(long, value_enum, default_value = "eventhub")]
    format: GenFormat,
    /// Write the fleet to DIR and keep it (default: a temporary folder, removed afterwards). DIR must
    /// be empty or new.
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
    /// Empty a non-empty --keep folder first.
    #[arg(long, requires = "keep")]
    force: bool,
    /// Where to write the hunt's HTML report (default: report.html in the --keep folder, else
    /// torhunt-demo-report.html in the system's temporary folder, which outlives the demo's own).
    #[arg(long, value_name = "FILE.html")]
    report: Option<PathBuf>,
}

/// `hunt`'s flags, parsed from the command line the demo builds.
#[derive(Parser)]
struct HuntCommandLine {
    #[command(flatten)]
    hunt: HuntArgs,
}

pub fn run(args: DemoArgs) -> miette::Result<Outcome> {
    if let Some(keep) = &args.keep {
        prepare_out_dir(keep, args.force)?;
    }
    let temporary = TempFolder::new("demo")
        .into_diagnostic()
        .wrap_err("creating a temporary folder")?;
    let root = args
        .keep
        .clone()
        .unwrap_or_else(|| temporary.path().to_path_buf());
    let config = FleetConfig {
        seed: args.seed,
        devices: args.devices,
        ..FleetConfig::default()
    };
    let manifest = generate_in(&config, args.format, &root).wrap_err("generating the demo fleet")?;
    let mut out = Stdout::lock();
    outln!(
        out,
        "Generated a synthetic fleet: {} devices, {} events over {} days ({} layout) in {}.",
        manifest.devices.len(),
        manifest.total_rows(),
        config.days,
        manifest.layout,
        output::path(&root)
    )?;
    outln!(
        out,
        "Planted {} Tor and torrent events among the benign traffic, and a synthetic Tor relay list of {} relays \
         (documentation addresses): served for DetectTorRelayConnectivity's externaldata URL, and imported as \
         the relay history of the day for the time-aware relay rule.\n",
        manifest.planted.len(),
        manifest.relays.len()
    )?;
    let report = args.report.clone().unwrap_or_else(|| match &args.keep {
        Some(keep) => keep.join("report.html"),
        None => std::env::temp_dir().join("torhunt-demo-report.html"),
    });
    let intel_dir = root.join("intel-store");
    import_relay_list(&manifest, &root, &intel_dir)?;
    let command_line = [
        "hunt".to_string(),
        "--intel".to_string(),
        intel_dir.display().to_string(),
        "--data".to_string(),
        root.join(&manifest.telemetry_dir).display().to_string(),
        "--now".to_string(),
        manifest.now.clone(),
        "--externaldata".to_string(),
        format!(
            "{}={}",
            manifest.relay_list_url,
            root.join(&manifest.relay_list).display()
        ),
        "--format".to_string(),
        "table".to_string(),
        "--report".to_string(),
        report.display().to_string(),
    ];
    outln!(out, "$ torhunt {}\n", output::safe(&command_line.join(" ")))?;
    out.finish()?;
    let hunt = HuntCommandLine::try_parse_from(&command_line)
        .into_diagnostic()
        .wrap_err("building the hunt")?
        .hunt;
    let hunted = run_hunt(&hunt)?;
    finish(&hunt, &hunted)?;
    let mut out = Stdout::lock();
    explain(&mut out, &manifest, &hunted.report)?;
    outln!(
        out,
        "\nThe HTML report of this hunt (open it in a browser; it works offline): {}",
        output::path(&report)
    )?;
    out.finish()?;
    Ok(Outcome::Clean)
}

/// Builds a relay history from the synthetic relay list, valid for the day before the hunt's `now`, so
/// the time-aware relay rule and the alerts' relay details work offline.
fn import_relay_list(manifest: &Manifest, root: &Path, intel_dir: &Path) -> miette::Result<()> {
    let now =
        kql_types::time::parse_datetime(&manifest.now).ok_or_else(|| miette::miette!("bad manifest time"))?;
    let listed_at = chrono::DateTime::from_timestamp_nanos(now - kql_types::time::NANOS_PER_DAY);
    let mut store = Store::load(intel_dir).into_diagnostic()?;
    store
        .import_file(
            &root.join(&manifest.relay_list),
            IntelFormat::TorRelayIpsCsv,
            Some(listed_at),
            ImportOptions::default(),
        )
        .into_diagnostic()
        .wrap_err("importing the synthetic relay list")?;
    store
        .save(intel_dir)
        .into_diagnostic()
        .wrap_err("saving the demo relay store")
}

/// What was planted, which rules were expected to alert and which did.
fn explain(out: &mut Stdout, manifest: &Manifest, report: &HuntReport) -> Result<(), OutputError> {
    let skipped: Vec<&str> = report.skipped.iter().map(|s| s.rule_id.as_str()).collect();
    outln!(out, "\nWhat was planted, and why it was found:")?;
    for planted in &manifest.planted {
        let time = kql_types::time::parse_datetime(&planted.time);
        let mut found: Vec<&str> = report
            .alerts
            .iter()
            .filter(|a| a.device.id.as_deref() == Some(planted.device_id.as_str()))
            .filter(|a| a.time.as_deref().and_then(kql_types::time::parse_datetime) == time)
            .map(|a| a.rule_id.as_str())
            .collect();
        found.sort_unstable();
        found.dedup();
        let expected: Vec<&str> = planted
            .expected_rules
            .iter()
            .map(String::as_str)
            .filter(|r| !skipped.contains(r))
            .collect();
        let verdict = match (expected.is_empty(), found.is_empty()) {
            (true, true) => "no alert, as intended".to_string(),
            (_, _) if sorted(&found) == sorted(&expected) => format!("found by {}", found.join(", ")),
            _ => format!(
                "UNEXPECTED: alerts from [{}], expected [{}]",
                found.join(", "),
                expected.join(", ")
            ),
        };
        outln!(
            out,
            "- {} on {} at {}: {}",
            planted.scenario,
            planted.device_name,
            planted.time,
            verdict
        )?;
        outln!(out, "    {}", planted.explanation)?;
    }
    if !skipped.is_empty() {
        outln!(
            out,
            "\nSkipped rules (see above for why) are left out of the expectations."
        )?;
    }
    Ok(())
}

fn sorted<'a>(items: &[&'a str]) -> Vec<&'a str> {
    let mut items = items.to_vec();
    items.sort_unstable();
    items
}
