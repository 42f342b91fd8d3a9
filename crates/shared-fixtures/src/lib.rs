//! Test support: where `../shared` is, and what a test does without it.
//!
//! `../shared` sits beside the repository and holds what tests compare torhunt with: Microsoft's KQL
//! parser as an oracle, Kusto emulator results, real Defender and Tor samples. A user's clone has none,
//! so there a test that needs it skips, printing why; CI (`CI=true`, which `.ci/run` sets) always has it,
//! so there a missing `../shared`, oracle or fixture fails the test instead of passing unchecked.
//!
//! Every test crate finds `../shared` through this crate (a dev-dependency only), so the path and the
//! rule live in one place.

use std::fmt::Display;
use std::path::{Path, PathBuf};

/// `../shared` beside the repository root, or `None` when this checkout has none (the calling test
/// then returns: it skips). Under CI a missing `../shared` fails the test.
pub fn root() -> Option<PathBuf> {
    find(default_root(), under_ci())
}

/// A file or folder inside `../shared` (`relative`, e.g. `fixtures/tor`), or `None` when there is no
/// `../shared` (as [`root`]). When `../shared` is there but lacks it, the test fails: the shared
/// material moved, and a test skipped for that would check nothing.
pub fn path(relative: &str) -> Option<PathBuf> {
    inside(root()?, relative)
}

/// Something else a test needs is missing (Node.js, the oracle's npm package, ...): locally the test
/// skips, printing `reason`; under CI, which installs it, the test fails with `reason`.
pub fn skip(reason: impl Display) {
    skip_or_fail(&reason.to_string(), under_ci());
}

/// Whether this is a CI run: `CI` is `true` or `1`, as CI services and `.ci/run` set it.
pub fn under_ci() -> bool {
    ci_value(std::env::var("CI").ok().as_deref())
}

fn ci_value(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

fn default_root() -> PathBuf {
    // This crate is `<repository>/crates/shared-fixtures`; `../shared` is beside `<repository>`. Taken
    // apart rather than joined with `..`, so that messages name the folder plainly.
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let beside_repository = manifest.ancestors().nth(3).unwrap_or(manifest);
    beside_repository.join("shared")
}

fn find(dir: PathBuf, ci: bool) -> Option<PathBuf> {
    if dir.is_dir() {
        return Some(dir);
    }
    skip_or_fail(
        &format!(
            "../shared not found (looked for {}); it holds the Kusto oracle, emulator cases and real samples",
            dir.display()
        ),
        ci,
    );
    None
}

fn inside(root: PathBuf, relative: &str) -> Option<PathBuf> {
    let path = root.join(relative);
    assert!(
        path.exists(),
        "{} is missing from ../shared ({}): the shared material changed",
        relative,
        path.display()
    );
    Some(path)
}

fn skip_or_fail(reason: &str, ci: bool) {
    // libtest names each test's thread after the test, which tells whose skip this is in a full run.
    let test = std::thread::current()
        .name()
        .filter(|name| *name != "main")
        .map(|name| format!(" {name}"))
        .unwrap_or_default();
    assert!(!ci, "CI=true: the test{test} cannot skip: {reason}");
    println!("skipping{test}: {reason}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn absent() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("no-such-shared-folder")
    }

    #[test]
    fn an_existing_folder_is_found() {
        let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(find(here.clone(), false), Some(here.clone()));
        assert_eq!(find(here.clone(), true), Some(here));
    }

    #[test]
    fn a_missing_folder_skips_locally() {
        assert_eq!(find(absent(), false), None);
    }

    #[test]
    #[should_panic(expected = "cannot skip: ../shared not found")]
    fn a_missing_folder_fails_under_ci() {
        find(absent(), true);
    }

    #[test]
    fn a_missing_prerequisite_skips_locally() {
        skip_or_fail("node not found", false);
    }

    #[test]
    #[should_panic(expected = "cannot skip: node not found")]
    fn a_missing_prerequisite_fails_under_ci() {
        skip_or_fail("node not found", true);
    }

    #[test]
    fn a_path_inside_is_found() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(inside(root.clone(), "src/lib.rs"), Some(root.join("src/lib.rs")));
    }

    #[test]
    #[should_panic(expected = "fixtures/tor is missing from ../shared")]
    fn a_path_missing_inside_fails_even_locally() {
        inside(PathBuf::from(env!("CARGO_MANIFEST_DIR")), "fixtures/tor");
    }

    #[test]
    fn ci_is_true_or_one() {
        assert!(ci_value(Some("true")));
        assert!(ci_value(Some("TRUE")));
        assert!(ci_value(Some("1")));
        assert!(!ci_value(Some("false")));
        assert!(!ci_value(Some("0")));
        assert!(!ci_value(Some("")));
        assert!(!ci_value(None));
    }

    #[test]
    fn the_root_is_beside_the_repository() {
        let repository = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .canonicalize()
            .unwrap();
        assert!(repository.join("crates/shared-fixtures/Cargo.toml").is_file());
        let root = default_root();
        assert_eq!(root.file_name(), Some("shared".as_ref()));
        assert_eq!(
            root.parent().unwrap().canonicalize().unwrap(),
            repository.parent().unwrap()
        );
    }
}
