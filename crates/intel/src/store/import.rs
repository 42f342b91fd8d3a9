//! Folding a snapshot into the store: idempotence, the plausibility check, interval upkeep.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::Path;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::{Interval, RelayRecord, SnapshotRecord, Store};
use crate::error::Result;
use crate::formats::{Format, parse_file};
use crate::model::{Fingerprint, RelayObservation, Role, Snapshot, SourceKind};

/// A snapshot with fewer than this share of the addresses of the one before it (same kind) is taken for
/// a broken download or a broken tracker run, not for half the network vanishing.
const MIN_SHARE_OF_PREVIOUS: f64 = 0.5;

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Accept a snapshot that shrinks below half of the previous one (still never an empty one).
    pub accept_shrinking: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported {
        addresses: u64,
        relays: u64,
    },
    /// The same content was imported before; nothing changed.
    AlreadyImported,
    /// Not taken into the store (nothing changed); the reason is meant for the user.
    Rejected {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub source: String,
    pub kind: SourceKind,
    pub time: DateTime<Utc>,
    pub outcome: ImportOutcome,
}

/// One address of a snapshot, keyed like an interval.
#[derive(Debug, Clone, Copy)]
struct Sighting {
    role: Role,
    port: Option<u16>,
}

impl Store {
    /// Parses a file and imports it.
    pub fn import_file(
        &mut self,
        path: &Path,
        format: Format,
        time: Option<DateTime<Utc>>,
        options: ImportOptions,
    ) -> Result<ImportReport> {
        Ok(self.import(&parse_file(path, format, time)?, options))
    }

    /// Folds one snapshot into the store. Snapshots may arrive in any order; see the README for the rules.
    pub fn import(&mut self, snapshot: &Snapshot, options: ImportOptions) -> ImportReport {
        let sightings = sightings(snapshot);
        let outcome = match self.check(snapshot, &sightings, options) {
            Err(outcome) => outcome,
            Ok(digest) => {
                self.apply(snapshot, &sightings);
                let record = SnapshotRecord {
                    kind: snapshot.kind,
                    source: snapshot.source.clone(),
                    time: snapshot.time,
                    valid_until: snapshot.valid_until,
                    addresses: distinct_addresses(&sightings),
                    digest,
                };
                let at = self
                    .snapshots
                    .partition_point(|s| (s.kind, s.time) < (record.kind, record.time));
                self.snapshots.insert(at, record);
                ImportOutcome::Imported {
                    addresses: distinct_addresses(&sightings),
                    relays: snapshot.relays.len() as u64,
                }
            }
        };
        ImportReport {
            source: snapshot.source.clone(),
            kind: snapshot.kind,
            time: snapshot.time,
            outcome,
        }
    }

    /// Decides whether a snapshot may be applied; `Ok` carries its digest.
    fn check(
        &self,
        snapshot: &Snapshot,
        sightings: &BTreeMap<(IpAddr, Option<Fingerprint>), Sighting>,
        options: ImportOptions,
    ) -> Result<[u8; 32], ImportOutcome> {
        let digest = digest(snapshot);
        if self.snapshots.iter().any(|s| s.digest == digest) {
            return Err(ImportOutcome::AlreadyImported);
        }
        let reject = |reason: String| Err(ImportOutcome::Rejected { reason });
        let same_kind = self.snapshots_of(snapshot.kind);
        if let Some(other) = same_kind.iter().find(|s| s.time == snapshot.time) {
            return reject(format!(
                "a different {} snapshot for {} is already imported (from {})",
                snapshot.kind, snapshot.time, other.source
            ));
        }
        let count = distinct_addresses(sightings);
        if count == 0 {
            return reject("the snapshot lists no relay address; an empty list is a broken snapshot".into());
        }
        let previous = same_kind.iter().rev().find(|s| s.time < snapshot.time);
        if let Some(previous) = previous
            && !options.accept_shrinking
            && (count as f64) < previous.addresses as f64 * MIN_SHARE_OF_PREVIOUS
        {
            return reject(format!(
                "the snapshot lists {count} addresses, less than half of the {} in the previous {} snapshot ({}); \
                 taken for a broken snapshot",
                previous.addresses, snapshot.kind, previous.time
            ));
        }
        Ok(digest)
    }

    fn apply(&mut self, snapshot: &Snapshot, sightings: &BTreeMap<(IpAddr, Option<Fingerprint>), Sighting>) {
        let kind = snapshot.kind;
        let time = snapshot.time;
        let same_kind = self.snapshots_of(kind);
        let previous = same_kind.iter().rev().find(|s| s.time < time).map(|s| s.time);
        let next = same_kind.iter().find(|s| s.time > time).map(|s| s.time);

        for (&(ip, fingerprint), sighting) in sightings {
            let intervals = self.addresses.entry(ip).or_default();
            extend_intervals(intervals, kind, fingerprint, *sighting, time, previous, next);
        }
        // Inserted between two snapshots: a run spanning the gap that this snapshot does not confirm
        // is split around it.
        if let (Some(previous), Some(next)) = (previous, next) {
            for (ip, intervals) in &mut self.addresses {
                let mut split = Vec::new();
                for interval in intervals.iter_mut() {
                    let spans = interval.kind == kind && interval.first <= previous && interval.last >= next;
                    if spans && !sightings.contains_key(&(*ip, interval.fingerprint)) {
                        split.push(Interval {
                            first: next,
                            ..interval.clone()
                        });
                        interval.last = previous;
                    }
                }
                if !split.is_empty() {
                    intervals.extend(split);
                    sort_intervals(intervals);
                }
            }
        }
        for relay in &snapshot.relays {
            if let Some(fingerprint) = relay.fingerprint {
                self.merge_relay(fingerprint, relay, kind, time);
            }
        }
    }

    fn merge_relay(
        &mut self,
        fingerprint: Fingerprint,
        seen: &RelayObservation,
        kind: SourceKind,
        time: DateTime<Utc>,
    ) {
        let first_seen = seen.first_seen.unwrap_or(time).min(time);
        let last_seen = seen.last_seen.unwrap_or(time).max(time);
        let fresh = RelayRecord {
            fingerprint,
            nickname: seen.nickname.clone(),
            or_addresses: seen.or_addresses.clone(),
            exit_addresses: seen.exit_addresses.clone(),
            flags: seen.flags.clone(),
            role: seen.role(),
            running: seen.running,
            country: seen.country.clone(),
            autonomous_system: seen.autonomous_system.clone(),
            hostnames: seen.hostnames.clone(),
            first_seen,
            last_seen,
            last_changed_address: seen.last_changed_address,
            observed_at: time,
            observed_in: kind,
        };
        let Some(known) = self.relays.get_mut(&fingerprint) else {
            self.relays.insert(fingerprint, fresh);
            return;
        };
        known.first_seen = known.first_seen.min(first_seen);
        known.last_seen = known.last_seen.max(last_seen);
        if time < known.observed_at {
            return;
        }
        // Newer details win field by field; what the newer document does not carry is kept.
        let (newer, older) = (fresh, known.clone());
        *known = RelayRecord {
            nickname: newer.nickname.or(older.nickname),
            or_addresses: non_empty_or(newer.or_addresses, older.or_addresses),
            exit_addresses: non_empty_or(newer.exit_addresses, older.exit_addresses),
            role: if newer.flags.is_empty() {
                older.role.max(newer.role)
            } else {
                newer.role
            },
            flags: non_empty_or(newer.flags, older.flags),
            running: newer.running.or(older.running),
            country: newer.country.or(older.country),
            autonomous_system: newer.autonomous_system.or(older.autonomous_system),
            hostnames: non_empty_or(newer.hostnames, older.hostnames),
            last_changed_address: newer.last_changed_address.or(older.last_changed_address),
            first_seen: known.first_seen,
            last_seen: known.last_seen,
            ..newer
        };
    }
}

/// Intervals by start, ties in a fixed order, so the same history is the same bytes whatever the
/// import order.
fn sort_intervals(intervals: &mut [Interval]) {
    intervals.sort_by_key(|i| (i.first, i.kind, i.fingerprint));
}

fn non_empty_or<T>(newer: Vec<T>, older: Vec<T>) -> Vec<T> {
    if newer.is_empty() { older } else { newer }
}

/// Records that `ip` (as `fingerprint`) was seen in the snapshot at `time`, between the neighbouring
/// snapshots of the same kind at `previous` and `next`.
fn extend_intervals(
    intervals: &mut Vec<Interval>,
    kind: SourceKind,
    fingerprint: Option<Fingerprint>,
    sighting: Sighting,
    time: DateTime<Utc>,
    previous: Option<DateTime<Utc>>,
    next: Option<DateTime<Utc>>,
) {
    let same = |i: &Interval| i.kind == kind && i.fingerprint == fingerprint;
    let take = |interval: &mut Interval| {
        interval.role = interval.role.max(sighting.role);
        if time >= interval.last {
            interval.port = sighting.port;
        }
    };
    // Already inside a run (re-imported between two snapshots that both saw the address).
    if let Some(containing) = intervals
        .iter_mut()
        .find(|i| same(i) && i.first <= time && time <= i.last)
    {
        take(containing);
        return;
    }
    let ending_before = intervals.iter().position(|i| same(i) && Some(i.last) == previous);
    let starting_after = intervals.iter().position(|i| same(i) && Some(i.first) == next);
    match (ending_before, starting_after) {
        (Some(before), Some(after)) if before == after => take(&mut intervals[before]),
        (Some(before), Some(after)) => {
            let later = intervals[after].clone();
            let merged = &mut intervals[before];
            merged.last = later.last;
            merged.role = merged.role.max(later.role);
            merged.port = later.port;
            take(merged);
            intervals.remove(after);
        }
        (Some(before), None) => {
            intervals[before].last = time;
            take(&mut intervals[before]);
        }
        (None, Some(after)) => {
            intervals[after].first = time;
            take(&mut intervals[after]);
        }
        (None, None) => intervals.push(Interval {
            kind,
            fingerprint,
            role: sighting.role,
            port: sighting.port,
            first: time,
            last: time,
        }),
    }
    sort_intervals(intervals);
}

/// The snapshot's addresses keyed by (address, fingerprint), strongest role per key.
fn sightings(snapshot: &Snapshot) -> BTreeMap<(IpAddr, Option<Fingerprint>), Sighting> {
    let mut out: BTreeMap<(IpAddr, Option<Fingerprint>), Sighting> = BTreeMap::new();
    for relay in &snapshot.relays {
        for (ip, port, role) in relay.addresses() {
            out.entry((ip, relay.fingerprint))
                .and_modify(|s| {
                    s.role = s.role.max(role);
                    s.port = s.port.or(port);
                })
                .or_insert(Sighting { role, port });
        }
    }
    out
}

fn distinct_addresses(sightings: &BTreeMap<(IpAddr, Option<Fingerprint>), Sighting>) -> u64 {
    let mut ips: Vec<IpAddr> = sightings.keys().map(|(ip, _)| *ip).collect();
    ips.dedup(); // Keys are sorted by address first.
    ips.len() as u64
}

/// SHA-256 over the kind, the time and the relays (their `Debug` text) in a canonical order, so that the
/// same document read from another path (or reformatted) is recognised.
fn digest(snapshot: &Snapshot) -> [u8; 32] {
    let mut relays: Vec<Vec<u8>> = snapshot
        .relays
        .iter()
        .map(|relay| format!("{relay:?}").into_bytes())
        .collect();
    relays.sort();
    let mut hasher = Sha256::new();
    hasher.update(snapshot.kind.name().as_bytes());
    hasher.update(snapshot.time.timestamp().to_le_bytes());
    for relay in relays {
        hasher.update((relay.len() as u64).to_le_bytes());
        hasher.update(&relay);
    }
    hasher.finalize().into()
}
