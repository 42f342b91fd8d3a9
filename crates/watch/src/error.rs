//! What can stop a watch cycle. A rule that fails is not one of these: it is reported in the cycle's
//! report and retried next cycle, while the other rules go on.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: not a torhunt watch state file: {reason}")]
    State { path: PathBuf, reason: String },
    #[error("reading the new records: {0}")]
    Read(String),
}

impl WatchError {
    pub fn io(path: &Path, source: std::io::Error) -> WatchError {
        WatchError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
