//! Time-aware questions to the store.

use std::net::IpAddr;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use super::{Interval, Store};
use crate::model::{Fingerprint, Role, SourceKind};

/// A store whose newest snapshot is older than this (relative to "now") is stale.
pub const STALE_AFTER: TimeDelta = TimeDelta::days(2);
/// How far around the asked time [`Store::lookup`] reports relays that were not active at that moment.
const NEARBY: TimeDelta = TimeDelta::days(1);

/// An address interval joined with what is known of its relay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    pub address: IpAddr,
    pub fingerprint: Option<Fingerprint>,
    pub nickname: Option<String>,
    pub role: Role,
    pub flags: Vec<String>,
    pub country: Option<String>,
    pub port: Option<u16>,
    pub kind: SourceKind,
    /// First snapshot of the interval.
    pub from: DateTime<Utc>,
    /// Last snapshot that saw the address.
    pub last_confirmed: DateTime<Utc>,
    /// Exclusive end: the next snapshot of the kind, or the last one's validity if that comes first.
    pub until: DateTime<Utc>,
    /// The relay's own first/last seen, when a document named its fingerprint.
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
}

impl Match {
    pub fn active_at(&self, time: DateTime<Utc>) -> bool {
        self.from <= time && time < self.until
    }
}

/// The ExoneraTor-style answer about one address at one time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LookupAnswer {
    pub address: IpAddr,
    pub at: DateTime<Utc>,
    /// Whether any source's snapshots span the asked time. When false, "no relay" means "unknown".
    pub in_coverage: bool,
    pub coverage: Vec<KindCoverage>,
    /// Relays at the address at that time.
    pub active: Vec<Match>,
    /// Relays at the address within a day of that time, but not at it.
    pub nearby: Vec<Match>,
}

/// The time span one kind of source covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindCoverage {
    pub kind: SourceKind,
    pub snapshots: usize,
    pub earliest: DateTime<Utc>,
    pub latest: DateTime<Utc>,
    /// The latest snapshot's validity end.
    pub covered_until: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoreStatus {
    pub snapshots: usize,
    pub relays: usize,
    pub addresses: usize,
    pub intervals: usize,
    pub coverage: Vec<KindCoverage>,
    pub newest_snapshot: Option<DateTime<Utc>>,
    /// `now - newest_snapshot`, in whole seconds.
    pub age_seconds: Option<i64>,
    /// Empty, or the newest snapshot is older than two days.
    pub stale: bool,
}

impl Store {
    /// The relay at `ip` at `time`, if it was one. With several (shared hosts), the one with a known
    /// fingerprint, the strongest role and the latest confirmation is returned.
    pub fn relay_at(&self, ip: IpAddr, time: DateTime<Utc>) -> Option<Match> {
        let intervals = self.addresses.get(&ip)?;
        // Sorted by start: only those started by `time` can cover it.
        let started = intervals.partition_point(|i| i.first <= time);
        intervals[..started]
            .iter()
            .filter(|i| time < self.interval_end(i))
            .max_by_key(|i| (i.fingerprint.is_some(), i.role, i.last))
            .map(|i| self.to_match(ip, i))
    }

    /// Every interval of `ip`, oldest first.
    pub fn history(&self, ip: IpAddr) -> Vec<Match> {
        self.addresses
            .get(&ip)
            .into_iter()
            .flatten()
            .map(|i| self.to_match(ip, i))
            .collect()
    }

    pub fn lookup(&self, ip: IpAddr, at: DateTime<Utc>) -> LookupAnswer {
        let coverage = self.coverage();
        let in_coverage = coverage.iter().any(|c| c.earliest <= at && at < c.covered_until);
        let (active, nearby) = self
            .history(ip)
            .into_iter()
            .filter(|m| m.from <= at + NEARBY && at - NEARBY < m.until)
            .partition(|m| m.active_at(at));
        LookupAnswer {
            address: ip,
            at,
            in_coverage,
            coverage,
            active,
            nearby,
        }
    }

    /// Per source kind, the earliest and latest snapshot.
    pub fn coverage(&self) -> Vec<KindCoverage> {
        SourceKind::ALL
            .iter()
            .filter_map(|&kind| {
                let of_kind = self.snapshots_of(kind);
                let (first, last) = (of_kind.first()?, of_kind.last()?);
                Some(KindCoverage {
                    kind,
                    snapshots: of_kind.len(),
                    earliest: first.time,
                    latest: last.time,
                    covered_until: last.valid_until,
                })
            })
            .collect()
    }

    pub fn status(&self, now: DateTime<Utc>) -> StoreStatus {
        let newest_snapshot = self.newest_snapshot();
        let age = newest_snapshot.map(|t| now - t);
        StoreStatus {
            snapshots: self.snapshots.len(),
            relays: self.relays.len(),
            addresses: self.addresses.len(),
            intervals: self.addresses.values().map(Vec::len).sum(),
            coverage: self.coverage(),
            newest_snapshot,
            age_seconds: age.map(|a| a.num_seconds()),
            stale: age.is_none_or(|a| a > STALE_AFTER),
        }
    }

    pub fn newest_snapshot(&self) -> Option<DateTime<Utc>> {
        self.snapshots.iter().map(|s| s.time).max()
    }

    /// Every address interval active at `at`, addresses ascending.
    pub fn active_at(&self, at: DateTime<Utc>) -> Vec<Match> {
        self.addresses()
            .into_iter()
            .flat_map(|(ip, intervals)| {
                intervals
                    .iter()
                    .filter(move |i| i.first <= at && at < self.interval_end(i))
                    .map(move |i| self.to_match(ip, i))
            })
            .collect()
    }

    /// Every address interval, addresses ascending.
    pub fn all_intervals(&self) -> Vec<Match> {
        self.addresses()
            .into_iter()
            .flat_map(|(ip, intervals)| intervals.iter().map(move |i| self.to_match(ip, i)))
            .collect()
    }

    /// Exclusive end of an interval: the next snapshot of its kind (which did not see the address), or
    /// the validity of the last snapshot that did, whichever comes first.
    fn interval_end(&self, interval: &Interval) -> DateTime<Utc> {
        let of_kind = self.snapshots_of(interval.kind);
        let after_last = of_kind.partition_point(|s| s.time <= interval.last);
        let valid_until = after_last
            .checked_sub(1)
            .map(|i| &of_kind[i])
            .filter(|s| s.time == interval.last)
            .map_or(interval.last + interval.kind.default_validity(), |s| {
                s.valid_until
            });
        match of_kind.get(after_last) {
            Some(next) => valid_until.min(next.time),
            None => valid_until,
        }
    }

    fn to_match(&self, address: IpAddr, interval: &Interval) -> Match {
        let relay = interval.fingerprint.and_then(|fp| self.relays.get(&fp));
        Match {
            address,
            fingerprint: interval.fingerprint,
            nickname: relay.and_then(|r| r.nickname.clone()),
            role: interval.role,
            flags: relay.map(|r| r.flags.clone()).unwrap_or_default(),
            country: relay.and_then(|r| r.country.clone()),
            port: interval.port,
            kind: interval.kind,
            from: interval.first,
            last_confirmed: interval.last,
            until: self.interval_end(interval),
            first_seen: relay.map(|r| r.first_seen),
            last_seen: relay.map(|r| r.last_seen),
        }
    }
}
