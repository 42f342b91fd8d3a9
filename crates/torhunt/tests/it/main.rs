//! End-to-end tests of the `torhunt` binary: run it as a user would and check output and exit status.

mod check;
mod generate;
mod hunt;
mod intel;
mod query;
mod seed_rules;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (shipped rules live in `rules/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `torhunt` with the arguments and, when given, standard input.
pub fn torhunt(args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut command = Command::new(env!("CARGO_BIN_EXE_torhunt"));
    command.args(args).current_dir(repo_root());
    // Never read the developer's own intel store: tests that need one pass --intel.
    command.env(
        "TORHUNT_INTEL_DIR",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-intel-store"),
    );
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

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
