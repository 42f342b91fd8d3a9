//! Every fixture parses, with counts and chosen relays checked against the raw files.

use std::fs;

use torhunt_intel::formats::{ParseContext, detect};
use torhunt_intel::{Format, IntelError, Role, Snapshot, SourceKind, parse_document, parse_file};

use crate::{ip, test_data, tor_fixtures, utc};

fn relay<'a>(snapshot: &'a Snapshot, fingerprint: &str) -> &'a torhunt_intel::RelayObservation {
    snapshot
        .relays
        .iter()
        .find(|r| r.fingerprint.map(|f| f.to_string()).as_deref() == Some(fingerprint))
        .unwrap_or_else(|| panic!("relay {fingerprint} not found"))
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

#[test]
fn consensus_2022_has_6088_relays_and_chosen_ones_exactly() {
    let Some(dir) = tor_fixtures() else { return };
    let s = parse_file(&dir.join("consensus-2022-11-19-1000.txt"), Format::Auto, None).unwrap();
    assert_eq!(s.kind, SourceKind::Consensus);
    assert_eq!(s.relays.len(), 6088);
    assert_eq!(
        (s.time, s.valid_until),
        (utc("2022-11-19 10:00:00"), utc("2022-11-19 11:00:00"))
    );

    // Line 45: r seele AAoQ1DAR6kkoo19hBAX5K0QztNw ... 104.53.221.159 9001 0 (identity decoded by hand).
    let seele = relay(&s, "000A10D43011EA4928A35F610405F92B4433B4DC");
    assert_eq!(seele.nickname.as_deref(), Some("seele"));
    assert_eq!(
        seele
            .or_addresses
            .iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>(),
        ["104.53.221.159:9001"]
    );
    assert_eq!(seele.flags, words("Fast HSDir Running Stable V2Dir Valid"));
    assert_eq!(seele.role(), Role::Other);
    assert_eq!(seele.published, Some(utc("2022-11-19 03:58:26")));

    let titamon = relay(&s, "0011254CC8444369B20EF11156B8990438221A54");
    assert_eq!(titamon.nickname.as_deref(), Some("titamon3"));
    assert_eq!(titamon.or_addresses[0].to_string(), "178.218.144.18:443");
    assert_eq!(
        titamon.flags,
        words("Exit Fast Guard HSDir Running Stable V2Dir Valid")
    );
    assert_eq!(titamon.role(), Role::Exit);

    // An `a` line adds the IPv6 OR address.
    let for_privacy = relay(&s, "0036FA36AB435FD5D0F640626636867EBFB72C68");
    assert_eq!(for_privacy.nickname.as_deref(), Some("ForPrivacyNET"));
    let addresses: Vec<String> = for_privacy.or_addresses.iter().map(|a| a.to_string()).collect();
    assert_eq!(addresses, ["185.220.101.33:10133", "[2a0b:f4c2:2::33]:10133"]);

    let last = s.relays.last().unwrap();
    assert_eq!(last.nickname.as_deref(), Some("nestor00patof"));
    assert_eq!(
        last.fingerprint.unwrap().to_string(),
        "FFFBFB50A83A414CC21B4CDA93A9674B004705E8"
    );

    // Counts by flag, computed from the raw `s` lines.
    let raw = fs::read_to_string(dir.join("consensus-2022-11-19-1000.txt")).unwrap();
    let exits = raw
        .lines()
        .filter(|l| l.starts_with("s ") && l.split(' ').any(|f| f == "Exit"))
        .count();
    assert_eq!(s.relays.iter().filter(|r| r.role() == Role::Exit).count(), exits);
    let a_lines = raw.lines().filter(|l| l.starts_with("a ")).count();
    assert_eq!(
        s.relays.iter().map(|r| r.or_addresses.len() - 1).sum::<usize>(),
        a_lines
    );
}

#[test]
fn cropped_collector_consensuses_parse_with_their_type_header() {
    let Some(dir) = tor_fixtures() else { return };
    let dir = dir.join("consensus-2018-06-cropped");
    for (name, relays, valid_after) in [
        ("2018-06-01-00-00-00-consensus", 208, "2018-06-01 00:00:00"),
        ("2018-06-01-01-00-00-consensus", 35, "2018-06-01 01:00:00"),
    ] {
        let s = parse_file(&dir.join(name), Format::Auto, None).unwrap();
        assert_eq!(
            (s.kind, s.relays.len(), s.time),
            (SourceKind::Consensus, relays, utc(valid_after)),
            "{name}"
        );
        let nice = relay(&s, "000C1F7CD2FEA073B911DC94A1600EC2F117DF0B");
        assert_eq!(nice.nickname.as_deref(), Some("myNiceRelay293884"));
        assert_eq!(nice.or_addresses[0].to_string(), "174.127.217.73:55554");
        assert_eq!(nice.role(), Role::Guard);
    }
}

#[test]
fn tordnsel_exit_lists_count_nodes_and_addresses() {
    let Some(dir) = tor_fixtures() else { return };
    let dir = dir.join("exit-lists-2018-11");
    for (name, nodes, addresses, downloaded) in [
        ("2018-11-01-00-02-01", 931, 934, "2018-11-01 00:02:01"),
        ("2018-11-01-01-02-01", 935, 938, "2018-11-01 01:02:01"),
        ("2018-11-02-00-02-01", 922, 925, "2018-11-02 00:02:01"),
        ("2018-11-02-01-02-01", 925, 929, "2018-11-02 01:02:01"),
    ] {
        let s = parse_file(&dir.join(name), Format::Auto, None).unwrap();
        assert_eq!(s.kind, SourceKind::TorDnsel);
        assert_eq!(s.relays.len(), nodes, "{name}");
        assert_eq!(
            s.relays.iter().map(|r| r.exit_addresses.len()).sum::<usize>(),
            addresses,
            "{name}"
        );
        assert_eq!(s.time, utc(downloaded));
        assert!(s.relays.iter().all(|r| r.role() == Role::Exit));
    }
    let s = parse_file(&dir.join("2018-11-01-00-02-01"), Format::Auto, None).unwrap();
    let calyx = relay(&s, "0011BD2485AD45D984EC4159C88FC066E5E3300E");
    assert_eq!(calyx.exit_addresses, [ip("162.247.74.201")]);
    assert_eq!(calyx.published, Some(utc("2018-10-31 05:08:21")));
    assert_eq!(calyx.last_seen, Some(utc("2018-10-31 06:02:24")));
    // A relay with four ExitAddress lines.
    let multi = relay(&s, "6BF913C31A47E020637121014DB2AFE0877BD31B");
    let expected = [
        "185.220.100.254",
        "94.31.53.203",
        "185.220.101.1",
        "193.171.202.150",
    ]
    .map(ip);
    assert_eq!(multi.exit_addresses, expected);
}

#[test]
fn nodes_history_lists_match_their_lines_and_are_dated_by_name() {
    let Some(dir) = tor_fixtures() else { return };
    let mut files: Vec<_> = fs::read_dir(dir.join("nodes-history-2023"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 48);
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let raw = fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = raw.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let s = parse_file(&path, Format::Auto, None).unwrap();
        let expected_kind = if name.contains("exit") {
            SourceKind::ExitList
        } else {
            SourceKind::RelayList
        };
        assert_eq!(s.kind, expected_kind, "{name}");
        assert_eq!(s.time, utc(&name[..10]), "{name}");
        assert_eq!(s.relays.len(), lines.len(), "{name}");
        let v6_parsed = s
            .relays
            .iter()
            .flat_map(|r| r.addresses())
            .filter(|(a, ..)| a.is_ipv6())
            .count();
        assert_eq!(
            v6_parsed,
            lines.iter().filter(|l| l.contains(':')).count(),
            "{name}"
        );
    }
}

#[test]
fn every_fixture_is_detected_as_its_format() {
    let Some(dir) = tor_fixtures() else { return };
    let head = |path: &std::path::Path| {
        fs::read(path)
            .unwrap()
            .into_iter()
            .take(8192)
            .collect::<Vec<u8>>()
    };
    let cases = [
        ("consensus-2022-11-19-1000.txt", Format::Consensus),
        (
            "consensus-2018-06-cropped/2018-06-01-00-00-00-consensus",
            Format::Consensus,
        ),
        ("exit-lists-2018-11/2018-11-02-01-02-01", Format::TorDnsel),
        ("nodes-history-2023/2023-05-01.tor-nodes.lst", Format::RelayList),
        (
            "nodes-history-2023/2023-05-01.tor-exit-nodes.lst",
            Format::ExitList,
        ),
        ("nodes-history-2023/2023-03-01.tor-nodes.lst", Format::RelayList),
    ];
    for (relative, format) in cases {
        let path = dir.join(relative);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(detect(&head(&path), &name), Some(format), "{relative}");
    }
}

#[test]
fn synthetic_onionoo_details_give_addresses_roles_and_details() {
    let s = parse_file(&test_data("onionoo-details.synthetic.json"), Format::Auto, None).unwrap();
    assert_eq!(
        (s.kind, s.relays.len(), s.time),
        (SourceKind::OnionooDetails, 3, utc("2024-05-01 12:00:00"))
    );
    let exit = relay(&s, "1111111111111111111111111111111111111111");
    assert_eq!(exit.nickname.as_deref(), Some("SynthExit"));
    let or: Vec<String> = exit.or_addresses.iter().map(|a| a.to_string()).collect();
    assert_eq!(or, ["192.0.2.10:443", "[2001:db8::10]:443"]);
    assert_eq!(exit.exit_addresses, [ip("192.0.2.11")]);
    assert_eq!(exit.role(), Role::Exit);
    assert_eq!(exit.country.as_deref(), Some("de"));
    assert_eq!(exit.autonomous_system.as_deref(), Some("AS64500"));
    assert_eq!(exit.hostnames, ["exit.example.net"]);
    assert_eq!(exit.first_seen, Some(utc("2023-01-15 10:00:00")));
    assert_eq!(exit.last_changed_address, Some(utc("2024-03-02 08:00:00")));
    let addresses: Vec<(String, Role)> = exit
        .addresses()
        .into_iter()
        .map(|(a, _, r)| (a.to_string(), r))
        .collect();
    assert_eq!(addresses.last().unwrap(), &("192.0.2.11".to_string(), Role::Exit));
    assert_eq!(
        relay(&s, "2222222222222222222222222222222222222222").role(),
        Role::Guard
    );
    assert_eq!(
        relay(&s, "3333333333333333333333333333333333333333").role(),
        Role::Other
    );
}

#[test]
fn synthetic_onionoo_summary_gives_bare_addresses() {
    let s = parse_file(&test_data("onionoo-summary.synthetic.json"), Format::Auto, None).unwrap();
    assert_eq!((s.kind, s.relays.len()), (SourceKind::OnionooSummary, 3));
    let exit = relay(&s, "1111111111111111111111111111111111111111");
    assert_eq!(exit.nickname.as_deref(), Some("SynthExit"));
    let ips: Vec<String> = exit.or_addresses.iter().map(|a| a.ip.to_string()).collect();
    assert_eq!(ips, ["192.0.2.10", "2001:db8::10", "192.0.2.11"]);
    assert_eq!(exit.running, Some(true));
}

#[test]
fn synthetic_microdesc_consensus_parses_without_digests() {
    let s = parse_file(
        &test_data("microdesc-consensus.synthetic.txt"),
        Format::Auto,
        None,
    )
    .unwrap();
    assert_eq!((s.kind, s.relays.len()), (SourceKind::Consensus, 3));
    let exit = relay(&s, "1111111111111111111111111111111111111111");
    assert_eq!(exit.nickname.as_deref(), Some("SynthExit"));
    let or: Vec<String> = exit.or_addresses.iter().map(|a| a.to_string()).collect();
    assert_eq!(or, ["192.0.2.10:443", "[2001:db8::10]:443"]);
    assert_eq!(exit.published, Some(utc("2024-05-01 10:15:00")));
    assert_eq!(
        relay(&s, "2222222222222222222222222222222222222222").role(),
        Role::Guard
    );
}

fn parse_text(text: &str, format: Format, name: &str) -> Result<Snapshot, IntelError> {
    let context = ParseContext {
        source: name.to_string(),
        time: None,
    };
    parse_document(text.as_bytes(), format, &context)
}

#[test]
fn bad_input_is_reported_with_source_line_and_reason() {
    let consensus = "network-status-version 3\nvalid-after 2022-11-19 10:00:00\nr broken AAoQ 2022-11-19\n";
    let err = parse_text(consensus, Format::Auto, "bad-consensus")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("bad-consensus:3: `r` line has 3 fields"), "{err}");

    let err = parse_text("1.2.3.4\nnot-an-ip\n", Format::ExitList, "x.lst")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("x.lst:2:"), "{err}");

    let err = parse_text("ExitNode 00\n", Format::TorDnsel, "exits")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("exits:1: invalid relay fingerprint"), "{err}");

    let err = parse_text(
        "{\"relays_published\": \"2024-05-01 12:00:00\",\n \"relays\": [ {] }",
        Format::Auto,
        "d.json",
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("d.json:2:"), "{err}");

    let err = parse_text("1.2.3.4\n", Format::ExitList, "torbulkexitlist")
        .unwrap_err()
        .to_string();
    assert!(err.contains("carries no time"), "{err}");

    let err = parse_text("hello\n", Format::Auto, "mystery")
        .unwrap_err()
        .to_string();
    assert!(err.contains("cannot tell the document format"), "{err}");

    let vote = "network-status-version 3\nvote-status vote\n";
    let err = parse_text(vote, Format::Consensus, "vote")
        .unwrap_err()
        .to_string();
    assert!(err.contains("not supported"), "{err}");
}

#[test]
fn plain_lists_allow_comments_and_explicit_times() {
    let context = ParseContext {
        source: "torbulkexitlist".into(),
        time: Some(utc("2024-05-01 12:00:00")),
    };
    let text = "# exits\n192.0.2.1\n\n2001:db8::1  # trailing comment\n";
    let s = parse_document(text.as_bytes(), Format::Auto, &context).unwrap();
    assert_eq!(s.kind, SourceKind::ExitList);
    let ips: Vec<_> = s.relays.iter().flat_map(|r| r.exit_addresses.clone()).collect();
    assert_eq!(ips, [ip("192.0.2.1"), ip("2001:db8::1")]);
}
