//! Test cases that bring their own Tor relay history (`relays:`), and those that need one and do not.

use std::path::PathBuf;

use torhunt_rules::load_rule_texts;
use torhunt_rules::testing::{TestOutcome, run_rule_tests};

const RELAY_RULE: &str = "name: Relay at the time\nquery: |\n  DeviceNetworkEvents\n  | where tor_relay_at(RemoteIP, Timestamp)\n  | project ReportId\ntests:\n";

const ONE_CONNECTION: &str = "  now: 2024-05-02T00:00:00Z\n  input:\n    DeviceNetworkEvents:\n    - {Timestamp: \"2024-05-01T10:00:00Z\", RemoteIP: 198.51.100.7, ReportId: 1}\n";

fn outcomes(test: &str) -> Vec<TestOutcome> {
    let text = format!("{RELAY_RULE}{test}");
    let rules = load_rule_texts(&[(PathBuf::from("relay.yaml"), text)])
        .all()
        .unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime
        .block_on(run_rule_tests(&rules[0]))
        .into_iter()
        .map(|r| r.outcome)
        .collect()
}

fn failure(test: &str) -> String {
    match outcomes(test).as_slice() {
        [TestOutcome::Fail(reason)] => reason.clone(),
        other => panic!("expected one failure, got {other:?}"),
    }
}

#[test]
fn a_listed_address_matches_from_its_list_for_a_day() {
    let listed =
        "  relays:\n  - {at: 2024-05-01T00:00:00Z, addresses: [198.51.100.7]}\n  expect: [{ReportId: 1}]\n";
    assert_eq!(
        outcomes(&format!("- name: listed\n{ONE_CONNECTION}{listed}")),
        [TestOutcome::Pass]
    );
    // Listed only from 10:00:01, a second after the connection.
    let later = "  relays:\n  - {at: 2024-05-01T10:00:01Z, addresses: [198.51.100.7]}\n  expect: []\n";
    assert_eq!(
        outcomes(&format!("- name: listed later\n{ONE_CONNECTION}{later}")),
        [TestOutcome::Pass]
    );
}

#[test]
fn without_relay_history_the_functions_refuse_and_the_test_fails_saying_why() {
    let reason = failure(&format!("- name: no history\n{ONE_CONNECTION}  expect: []\n"));
    assert!(reason.contains("intel store is empty"), "{reason}");
    assert!(reason.contains("add `relays:`"), "{reason}");
}

#[test]
fn an_empty_relay_list_fails_the_test_naming_the_list() {
    let empty = "  relays:\n  - {at: 2024-05-01T00:00:00Z, addresses: []}\n  expect: []\n";
    let reason = failure(&format!("- name: empty list\n{ONE_CONNECTION}{empty}"));
    assert!(reason.contains("relays[0] (at 2024-05-01T00:00:00Z)"), "{reason}");
    assert!(reason.contains("no relay address"), "{reason}");
}

#[test]
fn bad_relay_history_is_refused_when_the_rule_loads() {
    let load = |relays: &str| {
        let text = format!("{RELAY_RULE}- name: bad\n{ONE_CONNECTION}  relays:\n  - {relays}\n");
        load_rule_texts(&[(PathBuf::from("relay.yaml"), text)])
            .all()
            .unwrap_err()
            .to_string()
    };
    let bad_time = load("{at: yesterday, addresses: [198.51.100.7]}");
    assert!(
        bad_time.contains("relay.yaml") && bad_time.contains("relays `at: yesterday` is not a date"),
        "{bad_time}"
    );
    let bad_address = load("{at: 2024-05-01T00:00:00Z, addresses: [198.51.100.300]}");
    assert!(
        bad_address.contains("relay.yaml") && bad_address.contains("invalid IP address"),
        "{bad_address}"
    );
}
