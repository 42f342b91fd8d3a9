//! The on-disk relay history: which addresses were Tor relays when, and the latest details of each relay.
//!
//! See the crate README for the file format, the interval semantics and the rejection rule.

mod import;
mod lookup;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use import::{ImportOptions, ImportOutcome, ImportReport};
pub use lookup::{KindCoverage, LookupAnswer, Match, StoreStatus};

use crate::error::{IntelError, Result};
use crate::model::{Fingerprint, OrAddress, Role, SourceKind};

/// File name of the store inside its directory.
pub const STORE_FILE: &str = "intel.postcard";
/// File locked while a process changes the store (see [`Store::lock`]).
pub const LOCK_FILE: &str = "intel.lock";
/// First bytes of the store file; the number is the layout version.
const MAGIC: &[u8; 16] = b"torhunt-intel-1\n";

/// One accepted document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotRecord {
    pub kind: SourceKind,
    pub source: String,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub time: DateTime<Utc>,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub valid_until: DateTime<Utc>,
    /// Distinct addresses in the document.
    pub addresses: u64,
    /// SHA-256 of the parsed content: the same document imported again is recognised by it.
    pub digest: [u8; 32],
}

/// A stretch of consecutive snapshots of one kind in which an address was a relay (with one fingerprint,
/// or none for plain lists). `first`/`last` are the times of the first and last of those snapshots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interval {
    pub kind: SourceKind,
    pub fingerprint: Option<Fingerprint>,
    /// The strongest role seen in the interval.
    pub role: Role,
    /// OR port at this address in the latest snapshot of the interval.
    pub port: Option<u16>,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub first: DateTime<Utc>,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub last: DateTime<Utc>,
}

/// The latest known details of one relay, merged over all documents that named its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayRecord {
    pub fingerprint: Fingerprint,
    pub nickname: Option<String>,
    pub or_addresses: Vec<OrAddress>,
    pub exit_addresses: Vec<IpAddr>,
    pub flags: Vec<String>,
    pub role: Role,
    pub running: Option<bool>,
    pub country: Option<String>,
    pub autonomous_system: Option<String>,
    pub hostnames: Vec<String>,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub first_seen: DateTime<Utc>,
    #[serde(with = "chrono::serde::ts_seconds")]
    pub last_seen: DateTime<Utc>,
    #[serde(with = "chrono::serde::ts_seconds_option")]
    pub last_changed_address: Option<DateTime<Utc>>,
    /// Time of the snapshot the details come from.
    #[serde(with = "chrono::serde::ts_seconds")]
    pub observed_at: DateTime<Utc>,
    pub observed_in: SourceKind,
}

/// What is written to disk: everything sorted, so equal stores are equal bytes.
#[derive(Serialize, Deserialize)]
struct StoreFile {
    snapshots: Vec<SnapshotRecord>,
    relays: Vec<RelayRecord>,
    addresses: Vec<(IpAddr, Vec<Interval>)>,
}

/// The relay history, held in memory for lookups; cheap to share behind an `Arc`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Store {
    /// Sorted by kind, then time.
    snapshots: Vec<SnapshotRecord>,
    relays: BTreeMap<Fingerprint, RelayRecord>,
    /// Per address, its intervals sorted by start.
    addresses: HashMap<IpAddr, Vec<Interval>>,
}

/// Where the store lives unless `--intel DIR` says otherwise: `$TORHUNT_INTEL_DIR`, else
/// `$XDG_DATA_HOME/torhunt/intel`, else `~/.local/share/torhunt/intel`.
pub fn default_store_dir() -> Option<PathBuf> {
    let non_empty = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    non_empty("TORHUNT_INTEL_DIR")
        .or_else(|| non_empty("XDG_DATA_HOME").map(|d| d.join("torhunt").join("intel")))
        .or_else(|| non_empty("HOME").map(|h| h.join(".local/share/torhunt/intel")))
}

impl Store {
    /// Loads the store in `dir`; a directory without a store file gives an empty store.
    pub fn load(dir: &Path) -> Result<Store> {
        let path = dir.join(STORE_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Store::default()),
            Err(e) => return Err(IntelError::io(path, e)),
        };
        let corrupt = |reason: String| IntelError::Store {
            path: path.clone(),
            reason,
        };
        let body = bytes
            .strip_prefix(MAGIC.as_slice())
            .ok_or_else(|| corrupt("not a torhunt intel store (or a newer layout version)".into()))?;
        let file: StoreFile = postcard::from_bytes(body).map_err(|e| corrupt(format!("unreadable: {e}")))?;
        Ok(Store {
            snapshots: file.snapshots,
            relays: file.relays.into_iter().map(|r| (r.fingerprint, r)).collect(),
            addresses: file.addresses.into_iter().collect(),
        })
    }

    /// Waits until no other process changes the store in `dir`, and keeps others out until the guard
    /// is dropped. Hold it from [`Store::load`] to [`Store::save`]: two imports that load the same
    /// store and save in turn would otherwise lose the first one's snapshots. Readers need no lock
    /// (saves are atomic renames).
    pub fn lock(dir: &Path) -> Result<StoreLock> {
        std::fs::create_dir_all(dir).map_err(|e| IntelError::io(dir, e))?;
        let path = dir.join(LOCK_FILE);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| IntelError::io(&path, e))?;
        file.lock().map_err(|e| IntelError::io(&path, e))?;
        Ok(StoreLock { _file: file })
    }

    /// The store's bytes as written by [`Store::save`].
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut addresses: Vec<(IpAddr, Vec<Interval>)> = self
            .addresses
            .iter()
            .map(|(ip, intervals)| (*ip, intervals.clone()))
            .collect();
        addresses.sort_by_key(|(ip, _)| *ip);
        let file = StoreFile {
            snapshots: self.snapshots.clone(),
            relays: self.relays.values().cloned().collect(),
            addresses,
        };
        let mut bytes = MAGIC.to_vec();
        postcard::to_io(&file, &mut bytes)
            .map_err(|e| IntelError::InvalidArgument(format!("cannot encode the intel store: {e}")))?;
        Ok(bytes)
    }

    /// SHA-256 of [`Store::to_bytes`] (sorted, so equal stores have equal digests): what tells two
    /// processes they answer from the same relay history.
    pub fn digest(&self) -> Result<[u8; 32]> {
        use sha2::Digest;
        Ok(sha2::Sha256::digest(self.to_bytes()?).into())
    }

    /// Writes the store to `dir` atomically: a temporary file in the same directory, then a rename, so a
    /// reader sees the old store or the new one, never half of one.
    pub fn save(&self, dir: &Path) -> Result<()> {
        write_atomically(&dir.join(STORE_FILE), &self.to_bytes()?)
    }

    pub fn snapshots(&self) -> &[SnapshotRecord] {
        &self.snapshots
    }

    pub fn relays(&self) -> impl Iterator<Item = &RelayRecord> {
        self.relays.values()
    }

    pub fn relay(&self, fingerprint: &Fingerprint) -> Option<&RelayRecord> {
        self.relays.get(fingerprint)
    }

    /// Every address with its intervals, addresses in ascending order.
    pub fn addresses(&self) -> Vec<(IpAddr, &[Interval])> {
        let mut all: Vec<(IpAddr, &[Interval])> = self
            .addresses
            .iter()
            .map(|(ip, intervals)| (*ip, intervals.as_slice()))
            .collect();
        all.sort_by_key(|(ip, _)| *ip);
        all
    }

    /// Accepted snapshots of one kind, oldest first.
    fn snapshots_of(&self, kind: SourceKind) -> &[SnapshotRecord] {
        let start = self.snapshots.partition_point(|s| s.kind < kind);
        let end = self.snapshots.partition_point(|s| s.kind <= kind);
        &self.snapshots[start..end]
    }
}

/// An exclusive lock on a store's directory, released when dropped (or when the process ends).
#[derive(Debug)]
pub struct StoreLock {
    _file: std::fs::File,
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| IntelError::io(dir, e))?;
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| IntelError::io(dir, e))?;
    temp.write_all(bytes)
        .and_then(|_| temp.as_file().sync_all())
        .map_err(|e| IntelError::io(temp.path(), e))?;
    temp.persist(path).map_err(|e| IntelError::io(path, e.error))?;
    Ok(())
}
