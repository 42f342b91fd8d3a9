//! The shipped rules: they load from `rules/` exactly as built into the binary, check against the
//! built-in schemas, and pass their embedded tests.

#![allow(clippy::unwrap_used, reason = "a panic fails the test")]

mod relay_history;
mod shipped;

use std::path::{Path, PathBuf};

/// The repository's `rules/` folder.
pub fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules")
}
