//! Store behaviour on consensuses and exit lists: lookups, idempotence, the shrink rule, persistence.

use std::collections::BTreeSet;
use std::fs;

use torhunt_intel::{Format, ImportOptions, ImportOutcome, Role, SourceKind, Store};

use crate::{ip, test_data, tor_fixtures, utc};

fn import(store: &mut Store, path: &std::path::Path, options: ImportOptions) -> ImportOutcome {
    store
        .import_file(path, Format::Auto, None, options)
        .unwrap()
        .outcome
}

/// IPv4 addresses of the `r` lines of a consensus, by plain text splitting.
fn router_addresses(path: &std::path::Path) -> BTreeSet<String> {
    let text = fs::read_to_string(path).unwrap();
    text.lines()
        .filter(|l| l.starts_with("r "))
        .map(|l| l.split(' ').nth(6).unwrap().to_string())
        .collect()
}

#[test]
fn a_consensus_answers_for_its_hour() {
    let Some(dir) = tor_fixtures() else { return };
    let mut store = Store::default();
    let path = dir.join("consensus-2022-11-19-1000.txt");
    assert!(matches!(
        import(&mut store, &path, ImportOptions::default()),
        ImportOutcome::Imported { .. }
    ));

    let seele = store
        .relay_at(ip("104.53.221.159"), utc("2022-11-19 10:30:00"))
        .unwrap();
    assert_eq!(
        seele.fingerprint.unwrap().to_string(),
        "000A10D43011EA4928A35F610405F92B4433B4DC"
    );
    assert_eq!(seele.nickname.as_deref(), Some("seele"));
    assert_eq!(seele.port, Some(9001));
    assert_eq!(seele.role, Role::Other);
    assert!(seele.flags.iter().any(|f| f == "HSDir"));
    // Valid from valid-after to fresh-until.
    assert!(
        store
            .relay_at(ip("104.53.221.159"), utc("2022-11-19 09:59:59"))
            .is_none()
    );
    assert!(
        store
            .relay_at(ip("104.53.221.159"), utc("2022-11-19 11:00:00"))
            .is_none()
    );
    // IPv6 from an `a` line.
    let v6 = store
        .relay_at(ip("2a0b:f4c2:2::33"), utc("2022-11-19 10:00:00"))
        .unwrap();
    assert_eq!(
        (v6.nickname.as_deref(), v6.role),
        (Some("ForPrivacyNET"), Role::Exit)
    );

    let inside = store.lookup(ip("104.53.221.159"), utc("2022-11-19 10:15:00"));
    assert!(inside.in_coverage);
    assert_eq!(inside.active.len(), 1);
    let outside = store.lookup(ip("104.53.221.159"), utc("2022-11-20 10:15:00"));
    assert!(!outside.in_coverage && outside.active.is_empty());
    assert_eq!(outside.nearby.len(), 1, "reported as seen within a day");

    let status = store.status(utc("2022-11-19 12:00:00"));
    assert_eq!((status.snapshots, status.relays, status.stale), (1, 6088, false));
    assert!(store.status(utc("2022-11-25 00:00:00")).stale);

    // The same document again, from the same or another path, changes nothing.
    let bytes = store.to_bytes().unwrap();
    assert_eq!(
        import(&mut store, &path, ImportOptions::default()),
        ImportOutcome::AlreadyImported
    );
    assert_eq!(store.to_bytes().unwrap(), bytes);
}

#[test]
fn a_consensus_shrinking_below_half_is_rejected_unless_accepted() {
    let Some(dir) = tor_fixtures() else { return };
    let dir = dir.join("consensus-2018-06-cropped");
    let (first, second) = (
        dir.join("2018-06-01-00-00-00-consensus"),
        dir.join("2018-06-01-01-00-00-consensus"),
    );
    let mut store = Store::default();
    import(&mut store, &first, ImportOptions::default());
    let before = store.to_bytes().unwrap();
    let outcome = import(&mut store, &second, ImportOptions::default());
    assert!(
        matches!(&outcome, ImportOutcome::Rejected { reason } if reason.contains("less than half")),
        "{outcome:?}"
    );
    assert_eq!(
        store.to_bytes().unwrap(),
        before,
        "a rejected snapshot changes nothing"
    );

    // With the 01:00 snapshot accepted, an address it lacks stops being a relay at 01:00.
    let accepted = import(
        &mut store,
        &second,
        ImportOptions {
            accept_shrinking: true,
        },
    );
    assert!(matches!(accepted, ImportOutcome::Imported { .. }));
    let (at_0, at_1) = (router_addresses(&first), router_addresses(&second));
    let gone = at_0.iter().find(|a| !at_1.contains(*a)).unwrap();
    let kept = at_0.iter().find(|a| at_1.contains(*a)).unwrap();
    assert!(store.relay_at(ip(gone), utc("2018-06-01 00:30:00")).is_some());
    assert!(store.relay_at(ip(gone), utc("2018-06-01 01:30:00")).is_none());
    let kept_run = store.relay_at(ip(kept), utc("2018-06-01 01:30:00")).unwrap();
    assert_eq!(
        (kept_run.from, kept_run.until),
        (utc("2018-06-01 00:00:00"), utc("2018-06-01 02:00:00"))
    );
}

#[test]
fn exit_lists_close_intervals_at_the_next_list() {
    let Some(dir) = tor_fixtures() else { return };
    let dir = dir.join("exit-lists-2018-11");
    let mut store = Store::default();
    let mut names: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    for path in &names {
        assert!(matches!(
            import(&mut store, path, ImportOptions::default()),
            ImportOutcome::Imported { .. }
        ));
    }
    let addresses = |path: &std::path::Path| -> BTreeSet<String> {
        let text = fs::read_to_string(path).unwrap();
        text.lines()
            .filter_map(|l| l.strip_prefix("ExitAddress "))
            .map(|l| l.split(' ').next().unwrap().to_string())
            .collect()
    };
    // The 01:02 list of 2018-11-01 is followed by the 00:02 list of 2018-11-02.
    let (first, second) = (addresses(&names[1]), addresses(&names[2]));
    let gone = first.iter().find(|a| !second.contains(*a)).unwrap();
    let exit = store.relay_at(ip(gone), utc("2018-11-01 12:00:00")).unwrap();
    assert_eq!((exit.role, exit.kind), (Role::Exit, SourceKind::TorDnsel));
    assert_eq!(exit.until, utc("2018-11-02 00:02:01"));
    assert!(store.relay_at(ip(gone), utc("2018-11-02 00:30:00")).is_none());
    let coverage = store.coverage();
    assert_eq!(coverage.len(), 1);
    assert_eq!(
        (coverage[0].earliest, coverage[0].latest),
        (utc("2018-11-01 00:02:01"), utc("2018-11-02 01:02:01"))
    );
}

#[test]
fn details_from_several_documents_merge_per_fingerprint() {
    let mut store = Store::default();
    for name in [
        "microdesc-consensus.synthetic.txt",
        "onionoo-details.synthetic.json",
    ] {
        assert!(matches!(
            import(&mut store, &test_data(name), ImportOptions::default()),
            ImportOutcome::Imported { .. }
        ));
    }
    let fingerprint = "1111111111111111111111111111111111111111".parse().unwrap();
    let exit = store.relay(&fingerprint).unwrap();
    assert_eq!(exit.nickname.as_deref(), Some("SynthExit"));
    assert_eq!(
        exit.country.as_deref(),
        Some("de"),
        "Onionoo adds what the consensus lacks"
    );
    assert_eq!(exit.first_seen, utc("2023-01-15 10:00:00"));
    // The exit address only Onionoo knows is an exit of the same relay.
    let exit_address = store
        .relay_at(ip("192.0.2.11"), utc("2024-05-01 12:30:00"))
        .unwrap();
    assert_eq!(
        (exit_address.role, exit_address.fingerprint),
        (Role::Exit, Some(fingerprint))
    );

    // Two different documents of one kind for the same time: the second is refused.
    let mut other = fs::read_to_string(test_data("microdesc-consensus.synthetic.txt")).unwrap();
    other = other.replace("203.0.113.30", "203.0.113.31");
    let snapshot = torhunt_intel::parse_document(
        other.as_bytes(),
        Format::Auto,
        &torhunt_intel::ParseContext {
            source: "altered".into(),
            time: None,
        },
    )
    .unwrap();
    let report = store.import(&snapshot, ImportOptions::default());
    assert!(
        matches!(report.outcome, ImportOutcome::Rejected { reason } if reason.contains("already imported"))
    );
}

#[test]
fn a_damaged_store_file_is_an_error_not_a_panic() {
    let temp = tempfile::tempdir().unwrap();
    assert_eq!(
        Store::load(temp.path()).unwrap(),
        Store::default(),
        "no store yet is an empty store"
    );
    fs::write(temp.path().join(torhunt_intel::store::STORE_FILE), b"garbage").unwrap();
    let err = Store::load(temp.path()).unwrap_err().to_string();
    assert!(err.contains("not a torhunt intel store"), "{err}");
}
