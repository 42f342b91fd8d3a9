//! The state directory: `state.json` (files read, pending pieces, where each rule stands, the alert
//! ids written, the NDJSON output's committed length, undelivered webhook calls), replaced atomically
//! (write a temporary file, fsync it, rename it over the old one, fsync the folder) and only after the
//! outputs it accounts for are flushed. A crash leaves either the old state or the new one.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::WatchError;
use crate::files::{FileMark, Piece};

const STATE_FILE: &str = "state.json";
/// Bumped when the layout changes incompatibly; an older watcher refuses a newer state.
const STATE_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub version: u32,
    /// Cycles completed.
    pub cycles: u64,
    /// The clock of the last completed cycle.
    pub last_cycle: Option<i64>,
    pub files: BTreeMap<PathBuf, FileMark>,
    /// New records not yet evaluated by every rule, oldest first.
    pub segments: Vec<Segment>,
    pub next_segment: u64,
    pub rules: BTreeMap<String, RuleState>,
    /// Alert ids written, with the cycle clock they were first written at (forgotten after
    /// [`crate::cycle::REMEMBER_ALERTS`]).
    pub written: BTreeMap<String, i64>,
    /// The NDJSON output and its length when this state was saved: a longer file ends with alerts of a
    /// cycle that did not finish, cut off on the next start (they are found again).
    pub output: Option<OutputMark>,
    /// Alerts waiting for the webhook.
    pub outbox: Vec<Delivery>,
    /// Alerts given up on and written to the dead-letter file.
    pub dead_letters: u64,
}

/// The pieces one cycle found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub seq: u64,
    /// The cycle clock it was found at.
    pub found_at: i64,
    pub pieces: Vec<Piece>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleState {
    /// The tick of its last run.
    pub last_run: Option<i64>,
    /// Segments before this one have been evaluated.
    pub next_segment: u64,
    /// Sentinel suppression after the last run that alerted.
    pub suppressed: Option<Suppression>,
    pub alerts_written: u64,
    pub last_alert: Option<i64>,
    /// Why the last attempt did not run or failed; its records stay pending.
    pub blocked: Option<String>,
}

/// A rule's run at `from` wrote alerts: runs after it and before `until` write none. (A run before
/// `from` — late records of an earlier window — is not suppressed: it would have alerted first.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    pub from: i64,
    pub until: i64,
}

impl Suppression {
    pub fn holds(&self, tick: i64) -> bool {
        self.from < tick && tick < self.until
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputMark {
    pub path: PathBuf,
    pub committed: u64,
}

/// One alert for the webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub alert_id: String,
    /// The JSON document posted.
    pub body: String,
    pub attempts: u32,
}

impl State {
    /// The state in `dir`, or a fresh one when the folder has none (the folder is created).
    pub fn load(dir: &Path) -> Result<State, WatchError> {
        std::fs::create_dir_all(dir).map_err(|e| WatchError::io(dir, e))?;
        let path = dir.join(STATE_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(State {
                    version: STATE_VERSION,
                    ..State::default()
                });
            }
            Err(error) => return Err(WatchError::io(&path, error)),
        };
        let state: State = serde_json::from_str(&text).map_err(|e| WatchError::State {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        if state.version != STATE_VERSION {
            return Err(WatchError::State {
                path,
                reason: format!(
                    "version {} (this torhunt reads version {STATE_VERSION})",
                    state.version
                ),
            });
        }
        Ok(state)
    }

    /// Whether `dir` holds a state file.
    pub fn exists(dir: &Path) -> bool {
        dir.join(STATE_FILE).is_file()
    }

    /// Replaces the state in `dir` atomically.
    pub fn save(&self, dir: &Path) -> Result<(), WatchError> {
        let path = dir.join(STATE_FILE);
        let temporary = dir.join(format!("{STATE_FILE}.tmp"));
        let text = serde_json::to_vec_pretty(self).map_err(|e| WatchError::State {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let mut file = File::create(&temporary).map_err(|e| WatchError::io(&temporary, e))?;
        file.write_all(&text)
            .and_then(|()| file.sync_all())
            .map_err(|e| WatchError::io(&temporary, e))?;
        std::fs::rename(&temporary, &path).map_err(|e| WatchError::io(&path, e))?;
        sync_folder(dir)
    }
}

/// Makes a rename in `dir` durable.
pub fn sync_folder(dir: &Path) -> Result<(), WatchError> {
    File::open(dir)
        .and_then(|folder| folder.sync_all())
        .map_err(|e| WatchError::io(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_and_a_foreign_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = State::load(dir.path()).unwrap();
        assert_eq!(fresh.version, STATE_VERSION);
        assert!(!State::exists(dir.path()));
        let mut state = fresh.clone();
        state.cycles = 3;
        state.written.insert("ab".into(), 7);
        state.save(dir.path()).unwrap();
        assert_eq!(State::load(dir.path()).unwrap(), state);
        assert!(!dir.path().join("state.json.tmp").exists());

        std::fs::write(dir.path().join(STATE_FILE), "{\"files\": 3}").unwrap();
        let error = State::load(dir.path()).unwrap_err().to_string();
        assert!(error.contains("not a torhunt watch state file"), "{error}");
        std::fs::write(dir.path().join(STATE_FILE), "{\"version\": 99}").unwrap();
        let error = State::load(dir.path()).unwrap_err().to_string();
        assert!(error.contains("version 99"), "{error}");
    }
}
