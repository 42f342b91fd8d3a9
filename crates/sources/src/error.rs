use std::path::PathBuf;

use crate::report::Position;

/// Errors of discovering and reading telemetry files.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    // The cause is part of the message (not a `source`), so reports do not print it twice.
    #[error("{}: {error}", path.display())]
    Io { path: PathBuf, error: std::io::Error },

    #[error("invalid path pattern {pattern:?}: {reason}")]
    Pattern { pattern: String, reason: String },

    #[error("{pattern:?} matches no file")]
    NothingFound { pattern: String },

    #[error("{}: {reason}", path.display())]
    UnsupportedFile { path: PathBuf, reason: String },

    #[error("{}: cannot tell which table this file holds: {reason}; name the file after its table \
             (DeviceNetworkEvents.csv) or map it with --table NAME=PATH", path.display())]
    UnknownTable { path: PathBuf, reason: String },

    #[error("{}, {position}: {reason}", path.display())]
    BadRecord {
        path: PathBuf,
        position: Position,
        reason: String,
    },

    #[error("{}: a quoted value holds a line break near byte {offset}, where torhunt split the file to \
             read it in parallel; rerun with --no-split", path.display())]
    SplitMisaligned { path: PathBuf, offset: u64 },

    #[error("{}: {error}", path.display())]
    Parquet {
        path: PathBuf,
        error: datafusion::parquet::errors::ParquetError,
    },

    #[error(transparent)]
    Storage(#[from] torhunt_storage::StorageError),

    #[error(transparent)]
    DataFusion(#[from] datafusion::error::DataFusionError),
}

pub type Result<T, E = SourceError> = std::result::Result<T, E>;

impl SourceError {
    pub(crate) fn io(path: impl Into<PathBuf>, error: std::io::Error) -> SourceError {
        SourceError::Io {
            path: path.into(),
            error,
        }
    }

    pub(crate) fn parquet(
        path: impl Into<PathBuf>,
        error: datafusion::parquet::errors::ParquetError,
    ) -> SourceError {
        SourceError::Parquet {
            path: path.into(),
            error,
        }
    }
}

impl From<SourceError> for datafusion::error::DataFusionError {
    fn from(error: SourceError) -> Self {
        match error {
            SourceError::DataFusion(inner) => inner,
            other => datafusion::error::DataFusionError::External(Box::new(other)),
        }
    }
}
