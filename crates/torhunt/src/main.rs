//! `torhunt`: find Tor and torrent traffic in Defender for Endpoint telemetry with KQL, offline.
//!
//! A thin binary: each subcommand parses its flags, calls the library crates and prints through
//! `output`; `exit` decides the exit status (0 nothing found, 1 found, 2 error).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cleanup;
mod cmd;
mod diagnostics;
mod exit;
mod output;

#[derive(Parser)]
// The version with the build's identity: a cluster's processes must all print the same.
#[command(name = "torhunt", version = torhunt_cluster::BUILD, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check KQL queries and rule files for errors without running them.
    Check(cmd::check::CheckArgs),
    /// Run a KQL query over telemetry files.
    Query(cmd::query::QueryArgs),
    /// List the tables, files, rows and time range found in telemetry files.
    Sources(cmd::sources::SourcesArgs),
    /// Rewrite telemetry as typed Parquet, one folder per table, for fast repeated hunts.
    Convert(cmd::convert::ConvertArgs),
    /// The table catalog: every Advanced Hunting and Sentinel table torhunt knows, with its columns.
    Schema(cmd::schema::SchemaArgs),
    /// Tor relay intelligence: import, update, look up and export relay history.
    Intel(cmd::intel::IntelArgs),
    /// Run the detection rules over telemetry and report alerts (exit 1 when there are alerts).
    Hunt(cmd::hunt::HuntArgs),
    /// Write the HTML report of a hunt saved as NDJSON (`hunt --format ndjson -o run.ndjson`).
    Report(cmd::report::ReportArgs),
    /// List, show, check and test detection rules.
    Rules(cmd::rules::RulesArgs),
    /// Generate a synthetic fleet's telemetry with planted Tor and torrent events, at any scale.
    #[command(name = "gen")]
    Generate(cmd::generate::GenArgs),
    /// Hunt a generated demo fleet with planted Tor and torrent activity, and explain the alerts.
    Demo(cmd::demo::DemoArgs),
    /// Run a Ballista scheduler or executor, for `query --cluster` and `hunt --cluster`.
    Cluster(cmd::cluster::ClusterArgs),
    /// Run the rules continuously on their schedule as telemetry arrives; each alert is written once.
    Watch(cmd::watch::WatchArgs),
}

fn main() -> ExitCode {
    cmd::session::mark_command_start();
    cleanup::catch_signals();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => cmd::check::run(args),
        Command::Query(args) => cmd::query::run(args),
        Command::Sources(args) => cmd::sources::run(args),
        Command::Convert(args) => cmd::convert::run(args),
        Command::Schema(args) => cmd::schema::run(args),
        Command::Intel(args) => cmd::intel::run(args),
        Command::Hunt(args) => cmd::hunt::run(args),
        Command::Report(args) => cmd::report::run(args),
        Command::Rules(args) => cmd::rules::run(args),
        Command::Generate(args) => cmd::generate::run(args),
        Command::Demo(args) => cmd::demo::run(args),
        Command::Cluster(args) => cmd::cluster::run(args),
        Command::Watch(args) => cmd::watch::run(args),
    };
    exit::status(result)
}
