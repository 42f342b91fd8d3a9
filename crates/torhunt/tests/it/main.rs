//! End-to-end tests of the `torhunt` binary: run it as a user would and check output and exit status.

#![allow(clippy::unwrap_used, reason = "a panic fails the test")]

mod azure;
mod check;
mod cluster;
mod corpus;
mod exit_status;
mod generate;
mod geoip;
mod hostile;
mod hunt;
mod ingestion_time;
mod intel;
mod literal_records;
mod memory;
/// The MaxMind DB writer of the engine's tests (one writer for both).
#[path = "../../../engine/tests/it/mmdb.rs"]
mod mmdb;
mod other_telemetry;
mod query;
mod report;
mod seed_rules;
mod terminal;
mod watch;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (shipped rules live in `rules/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The query text of a shipped rule (the variant whose section heading is given, for markdown).
pub fn rule_query(file: &str, variant: Option<&str>) -> String {
    let queries = torhunt_rules::load_queries(&repo_root().join(file)).expect("rule file loads");
    queries
        .into_iter()
        .find(|q| q.source.variant.as_deref() == variant)
        .unwrap_or_else(|| panic!("{file} has no variant {variant:?}"))
        .text
}

/// Imports `relay_list` into the intel store `store` as the relays of 2024-05-01 00:00 UTC; a plain
/// relay list counts for 24 hours, which covers the planted events of the synthetic fleets.
pub fn import_relays(store: &Path, relay_list: &Path) {
    let output = torhunt(
        &[
            "intel",
            "--intel",
            store.to_str().unwrap(),
            "import",
            "--at",
            "2024-05-01T00:00:00Z",
            relay_list.to_str().unwrap(),
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
}

/// `--data`, `--now` and `--externaldata` for a fleet `torhunt gen` (or the synth crate) wrote under
/// `root`: its telemetry, its end as now, and its relay list behind the founding rule's URL.
pub fn fleet_flags(root: &Path, manifest: &torhunt_synth::Manifest) -> Vec<String> {
    vec![
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
    ]
}

/// A `torhunt` command run from the repository root that never reads the developer's own intel store
/// (tests that need one pass --intel).
pub fn torhunt_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_torhunt"));
    command.args(args).current_dir(repo_root());
    command.env(
        "TORHUNT_INTEL_DIR",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-intel-store"),
    );
    command
}

/// Runs `torhunt` with the arguments and, when given, standard input.
pub fn torhunt(args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut command = torhunt_command(args);
    command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().expect("torhunt starts");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("torhunt runs")
}

/// The lines of `hunt --format ndjson` output: its alerts, and the run summary that must close it.
pub fn ndjson_hunt(text: &str) -> (Vec<serde_json::Value>, serde_json::Value) {
    let mut lines: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let summary = lines.pop().unwrap_or_else(|| panic!("no run summary: {text:?}"));
    assert_eq!(summary["record"], "hunt_summary", "{text}");
    (lines, summary)
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
