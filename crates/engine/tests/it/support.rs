//! Helpers shared by the engine's integration tests.

use std::path::PathBuf;

/// `../shared` beside the workspace, or `None` (with a note on stdout) in a clone without it.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipping: ../shared not found (it holds the conformance cases and fixtures)");
        None
    }
}
