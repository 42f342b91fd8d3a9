//! `torhunt demo`: generate a small synthetic fleet with planted Tor and torrent activity, hunt it with
//! the shipped rules, and explain what was found and why. Offline; the relay list is synthetic.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use miette::{IntoDiagnostic, WrapErr};
use torhunt_rules::HuntReport;
use torhunt_synth::{FleetConfig, Layout, Manifest, generate};

use crate::cmd::hunt::{HuntArgs, finish, run_hunt};

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Seed of the generated fleet (the same seed gives the same fleet).
    #[arg(long, default_value_t = FleetConfig::default().seed)]
    seed: u64,
    /// How many devices the fleet has (at least 7: the planted scenarios use seven).
    #[arg(long, default_value_t = FleetConfig::default().devices)]
    devices: usize,
    /// The file layout to write: Streaming API records, portal CSV exports or flat NDJSON.
    #[arg(long, value_enum, default_value = "streaming-api")]
    layout: LayoutArg,
    /// Write the fleet to DIR and keep it (default: a temporary folder, removed afterwards).
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LayoutArg {
    StreamingApi,
    PortalCsv,
    Ndjson,
}

/// `hunt`'s flags, parsed from the command line the demo builds.
#[derive(Parser)]
struct HuntCommandLine {
    #[command(flatten)]
    hunt: HuntArgs,
}

pub fn run(args: DemoArgs) -> miette::Result<ExitCode> {
    let layout = match args.layout {
        LayoutArg::StreamingApi => Layout::StreamingApi,
        LayoutArg::PortalCsv => Layout::PortalCsv,
        LayoutArg::Ndjson => Layout::FlatNdjson,
    };
    let temporary = tempfile::tempdir().into_diagnostic().wrap_err("creating a temporary folder")?;
    let root = args.keep.clone().unwrap_or_else(|| temporary.path().to_path_buf());
    let config = FleetConfig { seed: args.seed, devices: args.devices, ..FleetConfig::default() };
    let manifest = generate(&config, layout, &root).into_diagnostic().wrap_err("generating the demo fleet")?;
    println!(
        "Generated a synthetic fleet: {} devices, {} events over {} days ({} layout) in {}.",
        manifest.devices.len(),
        manifest.rows,
        config.days,
        layout.id(),
        root.display()
    );
    println!(
        "Planted {} Tor and torrent events among the benign traffic, and a synthetic Tor relay list of {} relays \
         (documentation addresses) served for DetectTorRelayConnectivity's externaldata URL.\n",
        manifest.planted.len(),
        manifest.relays.len()
    );
    let command_line = [
        "hunt".to_string(),
        "--data".to_string(),
        root.join(&manifest.telemetry_dir).display().to_string(),
        "--now".to_string(),
        manifest.now.clone(),
        "--externaldata".to_string(),
        format!("{}={}", manifest.relay_list_url, root.join(&manifest.relay_list).display()),
        "--format".to_string(),
        "table".to_string(),
    ];
    println!("$ torhunt {}\n", command_line.join(" "));
    let hunt = HuntCommandLine::try_parse_from(&command_line).into_diagnostic().wrap_err("building the hunt")?.hunt;
    let report = run_hunt(&hunt)?;
    finish(&hunt, &report)?;
    explain(&manifest, &report);
    Ok(ExitCode::SUCCESS)
}

/// What was planted, which rules were expected to alert and which did.
fn explain(manifest: &Manifest, report: &HuntReport) {
    let skipped: Vec<&str> = report.skipped.iter().map(|s| s.rule_id.as_str()).collect();
    println!("\nWhat was planted, and why it was found:");
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
        let expected: Vec<&str> =
            planted.expected_rules.iter().map(String::as_str).filter(|r| !skipped.contains(r)).collect();
        let verdict = match (expected.is_empty(), found.is_empty()) {
            (true, true) => "no alert, as intended".to_string(),
            (_, _) if sorted(&found) == sorted(&expected) => format!("found by {}", found.join(", ")),
            _ => format!("UNEXPECTED: alerts from [{}], expected [{}]", found.join(", "), expected.join(", ")),
        };
        println!("- {} on {} at {}: {}", planted.scenario, planted.device_name, planted.time, verdict);
        println!("    {}", planted.explanation);
    }
    if !skipped.is_empty() {
        println!(
            "\nRules skipped here (see above for why) would also have fired on some of these events once their \
             inputs exist; e.g. the time-aware relay rule needs a relay history (`torhunt intel import`)."
        );
    }
}

fn sorted<'a>(items: &[&'a str]) -> Vec<&'a str> {
    let mut items = items.to_vec();
    items.sort_unstable();
    items
}
