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
    /// Listing a container, or reading a blob's bytes to find its new lines.
    #[error(transparent)]
    Storage(#[from] torhunt_storage::StorageError),
    /// Something a watcher does not do, refused rather than done halfway.
    #[error("{0}")]
    Unsupported(String),
    /// Another process watches with this state folder.
    #[error(
        "{}: another torhunt watch ({}) is using this state folder; one watcher per state folder \
         (`torhunt watch --status` reads it without waiting)",
        .dir.display(),
        .holder.map_or_else(|| "pid unknown".to_string(), |pid| format!("pid {pid}"))
    )]
    Locked { dir: PathBuf, holder: Option<u32> },
}

impl WatchError {
    pub fn io(path: &Path, source: std::io::Error) -> WatchError {
        WatchError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
