//! The 2023 relay history: time-aware answers checked against sets computed from the raw files with
//! plain string operations, the broken 2023-03-01 snapshot, idempotence and import order.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use chrono::TimeDelta;
use torhunt_intel::{Format, ImportOptions, ImportOutcome, ImportReport, SourceKind, Store};

use crate::{ip, tor_fixtures, utc};

/// Per date, the addresses in that day's files (relay list and exit list together), read as plain text.
fn raw_addresses(dir: &Path) -> BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> {
    let mut by_date: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let lines: BTreeSet<String> = fs::read_to_string(&path)
            .unwrap()
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        let day = by_date.entry(name[..10].to_string()).or_default();
        if name.ends_with(".tor-exit-nodes.lst") {
            day.1 = lines
        } else {
            day.0 = lines
        }
    }
    by_date
}

fn history_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

fn import_all(store: &mut Store, files: &[PathBuf]) -> Vec<ImportReport> {
    files
        .iter()
        .map(|f| {
            store
                .import_file(f, Format::Auto, None, ImportOptions::default())
                .unwrap()
        })
        .collect()
}

#[test]
fn relay_at_follows_presence_and_absence_across_snapshots() {
    let Some(dir) = tor_fixtures() else { return };
    let dir = dir.join("nodes-history-2023");
    let raw = raw_addresses(&dir);
    let mut store = Store::default();
    import_all(&mut store, &history_files(&dir));

    let dates: Vec<&String> = raw.keys().collect();
    let (d1, d2) = (dates[0], dates[1]); // 2023-01-01, 2023-01-15
    let in_day = |date: &String, a: &String| raw[date].0.contains(a) || raw[date].1.contains(a);
    let left = raw[d1]
        .0
        .iter()
        .chain(&raw[d1].1)
        .find(|a| !in_day(d2, a))
        .expect("some address leaves");
    let midday = |date: &str| utc(date) + TimeDelta::hours(12);
    assert!(
        store.relay_at(ip(left), midday(d1)).is_some(),
        "{left} was a relay on {d1}"
    );
    assert!(
        store.relay_at(ip(left), midday(d2)).is_none(),
        "{left} was no relay on {d2}"
    );

    // Seen on both dates: a relay in between too (one interval over consecutive snapshots).
    let stayed = raw[d1].0.iter().find(|a| raw[d2].0.contains(*a)).unwrap();
    assert!(store.relay_at(ip(stayed), utc("2023-01-08 00:00:00")).is_some());

    // Present on every date: one interval per list kind over the whole year.
    let everywhere = raw[d1]
        .0
        .iter()
        .find(|a| raw.values().all(|(all, _)| all.is_empty() || all.contains(*a)))
        .unwrap();
    let relay_runs: Vec<_> = store
        .history(ip(everywhere))
        .into_iter()
        .filter(|m| m.kind == SourceKind::RelayList)
        .collect();
    assert_eq!(relay_runs.len(), 1, "{everywhere}: {relay_runs:?}");
    assert_eq!(
        (relay_runs[0].from, relay_runs[0].last_confirmed),
        (utc("2023-01-01"), utc("2023-12-15"))
    );

    // Exits are exits; an address never listed is no relay, and the answer says the time is covered.
    let exit = raw[d1].1.iter().next().unwrap();
    assert_eq!(
        store.relay_at(ip(exit), midday(d1)).unwrap().role,
        torhunt_intel::Role::Exit
    );
    let answer = store.lookup(ip("192.0.2.1"), midday(d1));
    assert!(answer.in_coverage && answer.active.is_empty());
    let before = store.lookup(ip(left), utc("2022-06-01"));
    assert!(!before.in_coverage, "2022 is outside the 2023 history");
}

#[test]
fn the_empty_2023_03_01_snapshot_is_rejected_and_leaves_no_gap() {
    let Some(dir) = tor_fixtures() else { return };
    let dir = dir.join("nodes-history-2023");
    let raw = raw_addresses(&dir);
    let mut store = Store::default();
    let reports = import_all(&mut store, &history_files(&dir));

    let rejected: Vec<&ImportReport> = reports
        .iter()
        .filter(|r| matches!(r.outcome, ImportOutcome::Rejected { .. }))
        .collect();
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    assert!(rejected[0].source.ends_with("2023-03-01.tor-nodes.lst"));
    assert!(
        matches!(&rejected[0].outcome, ImportOutcome::Rejected { reason } if reason.contains("no relay address"))
    );
    // That day's exit list is not empty and counts.
    let exits_0301 = reports
        .iter()
        .find(|r| r.source.ends_with("2023-03-01.tor-exit-nodes.lst"))
        .unwrap();
    assert!(matches!(exits_0301.outcome, ImportOutcome::Imported { .. }));

    // A relay on 02-15 and 03-15 (and not in the 03-01 exit list) was a relay on 03-01.
    let (feb, mar, exits_mar1) = (&raw["2023-02-15"].0, &raw["2023-03-15"].0, &raw["2023-03-01"].1);
    let steady = feb
        .iter()
        .find(|a| mar.contains(*a) && !exits_mar1.contains(*a))
        .unwrap();
    let answer = store
        .relay_at(ip(steady), utc("2023-03-01 12:00:00"))
        .expect("no gap on 2023-03-01");
    assert_eq!(answer.kind, SourceKind::RelayList);
    assert!(answer.from <= utc("2023-02-15") && answer.last_confirmed >= utc("2023-03-15"));
}

#[test]
fn importing_twice_changes_nothing_and_order_does_not_matter() {
    let Some(dir) = tor_fixtures() else { return };
    let files = history_files(&dir.join("nodes-history-2023"));
    let mut store = Store::default();
    import_all(&mut store, &files);
    let bytes = store.to_bytes().unwrap();

    let again = import_all(&mut store, &files);
    assert!(again.iter().all(|r| matches!(
        r.outcome,
        ImportOutcome::AlreadyImported | ImportOutcome::Rejected { .. }
    )));
    assert_eq!(store.to_bytes().unwrap(), bytes);

    // Saved and loaded, the store is the same.
    let temp = tempfile::tempdir().unwrap();
    store.save(temp.path()).unwrap();
    assert_eq!(Store::load(temp.path()).unwrap(), store);

    // Newest first gives the same intervals as oldest first.
    let mut reversed = Store::default();
    let backwards: Vec<PathBuf> = files.iter().rev().cloned().collect();
    import_all(&mut reversed, &backwards);
    assert_eq!(reversed.to_bytes().unwrap(), bytes);
}
