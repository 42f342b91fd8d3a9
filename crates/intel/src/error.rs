use std::path::PathBuf;

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
pub enum IntelError {
    /// A document could not be parsed. `line` is 1-based when known.
    #[error("{source_name}{}: {reason}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Parse {
        source_name: String,
        line: Option<u64>,
        reason: String,
    },

    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },

    #[error("intel store {path}: {reason}")]
    Store { path: PathBuf, reason: String },

    #[error("download {url}: {reason}")]
    Download { url: String, reason: String },

    #[error("{0}")]
    InvalidArgument(String),
}

impl IntelError {
    pub(crate) fn parse(source_name: &str, line: Option<u64>, reason: impl Into<String>) -> Self {
        IntelError::Parse {
            source_name: source_name.to_string(),
            line,
            reason: reason.into(),
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        IntelError::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = IntelError> = std::result::Result<T, E>;
