//! `torhunt hunt`, `rules` and `demo` end to end. Acceptance: on a generated fleet whose planted events
//! are known (its manifest), `hunt` reports exactly the expected alerts of every shipped rule, in every
//! layout the generator writes, and the markdown rule's Defender and Sentinel variants agree.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use torhunt_synth::{FleetConfig, Layout, Manifest, generate, rule_ids};

use crate::{fleet_flags, import_relays, stderr, stdout, torhunt};

/// (rule id, device id, instant) of an alert or an expected alert.
type AlertKey = (String, String, i64);

fn instant(text: &str) -> i64 {
    kql_types::time::parse_datetime(text).unwrap_or_else(|| panic!("`{text}` is a datetime"))
}

fn expected_alerts(manifest: &Manifest, skipped_rules: &[&str]) -> BTreeSet<AlertKey> {
    manifest
        .planted
        .iter()
        .flat_map(|p| {
            p.expected_rules
                .iter()
                .filter(|r| !skipped_rules.contains(&r.as_str()))
                .map(|r| (r.clone(), p.device_id.clone(), instant(&p.time)))
        })
        .collect()
}

/// Runs `hunt --format json` over a generated fleet; returns the exit code and the JSON document.
fn hunt_fleet(root: &Path, manifest: &Manifest, intel_dir: &Path, extra: &[&str]) -> (i32, Value) {
    let mut owned = vec!["hunt".to_string()];
    owned.extend(fleet_flags(root, manifest));
    owned.extend(["--intel", intel_dir.to_str().unwrap(), "--format", "json"].map(String::from));
    let mut args: Vec<&str> = owned.iter().map(String::as_str).collect();
    args.extend_from_slice(extra);
    let output = torhunt(&args, None);
    let document =
        serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&output)));
    (output.status.code().unwrap_or(-1), document)
}

fn alert_keys(document: &Value) -> BTreeSet<AlertKey> {
    document["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let text = |v: &Value| v.as_str().unwrap_or_else(|| panic!("{a}")).to_string();
            (
                text(&a["rule_id"]),
                text(&a["device"]["id"]),
                instant(a["time"].as_str().unwrap()),
            )
        })
        .collect()
}

fn skipped_ids(document: &Value) -> Vec<String> {
    document["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["rule_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn hunt_finds_exactly_the_planted_events_in_every_layout() {
    for layout in Layout::ALL {
        let root = tempfile::tempdir().unwrap();
        let empty_store = tempfile::tempdir().unwrap();
        let manifest = generate(&FleetConfig::default(), layout, root.path()).unwrap();
        let (code, document) = hunt_fleet(root.path(), &manifest, empty_store.path(), &[]);
        assert_eq!(code, 1, "{layout:?}: alerts give exit status 1");
        // Without relay history the time-aware rule cannot run, and says so.
        assert_eq!(
            skipped_ids(&document),
            [rule_ids::TOR_RELAY_CONNECTION],
            "{layout:?}"
        );
        assert!(
            document["skipped"][0]["reason"]
                .as_str()
                .unwrap()
                .contains("tor_relay_at")
        );
        let expected = expected_alerts(&manifest, &[rule_ids::TOR_RELAY_CONNECTION]);
        assert_eq!(alert_keys(&document), expected, "{layout:?}");
        // The founding relay rule's alerts carry the relay from the list.
        let relay_alert = document["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["rule_id"] == rule_ids::DETECT_TOR_RELAY_CONNECTIVITY)
            .expect("a relay alert");
        let address = relay_alert["relay"]["address"].as_str().unwrap();
        let relay = manifest
            .relays
            .iter()
            .find(|r| r.address == address)
            .expect("a synthetic relay");
        assert_eq!(relay_alert["relay"]["country"], relay.country.as_str());
    }
}

#[test]
fn with_relay_history_the_time_aware_rule_fires_and_alerts_carry_relay_details() {
    let root = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    let manifest = generate(&FleetConfig::default(), Layout::FlatNdjson, root.path()).unwrap();
    import_relays(store.path(), &root.path().join(&manifest.relay_list));
    let (code, document) = hunt_fleet(root.path(), &manifest, store.path(), &[]);
    assert_eq!(code, 1);
    assert!(skipped_ids(&document).is_empty(), "{}", document["skipped"]);
    assert_eq!(alert_keys(&document), expected_alerts(&manifest, &[]));
    for alert in document["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["rule_id"] == rule_ids::TOR_RELAY_CONNECTION)
    {
        let address = alert["relay"]["address"].as_str().unwrap();
        let relay = manifest
            .relays
            .iter()
            .find(|r| r.address == address)
            .expect("a synthetic relay");
        assert_eq!(alert["relay"]["fingerprint"], relay.fingerprint.as_str());
        assert_eq!(alert["relay"]["nickname"], relay.nickname.as_str());
    }
}

#[test]
fn defender_and_sentinel_variants_agree() {
    let root = tempfile::tempdir().unwrap();
    let empty_store = tempfile::tempdir().unwrap();
    let manifest = generate(&FleetConfig::default(), Layout::PortalCsv, root.path()).unwrap();
    let rule = [
        "--rules",
        "rules/tor-connection-established.md",
        "--rules",
        "rules/tor-connection-established.torhunt.yaml",
    ];
    let (_, defender) = hunt_fleet(root.path(), &manifest, empty_store.path(), &rule);
    let sentinel_args: Vec<&str> = rule.iter().copied().chain(["--variant", "sentinel"]).collect();
    let (_, sentinel) = hunt_fleet(root.path(), &manifest, empty_store.path(), &sentinel_args);
    let founding: BTreeSet<AlertKey> = expected_alerts(&manifest, &[])
        .into_iter()
        .filter(|(rule, _, _)| rule == rule_ids::TOR_CONNECTION_ESTABLISHED)
        .collect();
    assert!(!founding.is_empty());
    assert_eq!(alert_keys(&defender), founding);
    assert_eq!(alert_keys(&sentinel), founding);
    assert!(
        sentinel["alerts"][0]["row"].get("TimeGenerated").is_some(),
        "the Sentinel variant ran"
    );
}

#[test]
fn no_alerts_exit_zero_and_other_formats_work() {
    let root = tempfile::tempdir().unwrap();
    let empty_store = tempfile::tempdir().unwrap();
    let manifest = generate(&FleetConfig::default(), Layout::FlatNdjson, root.path()).unwrap();
    // A month later every planted event is outside the window.
    let data = root.path().join(&manifest.telemetry_dir);
    let base = [
        "hunt",
        "--data",
        data.to_str().unwrap(),
        "--intel",
        empty_store.path().to_str().unwrap(),
    ];
    let later: Vec<&str> = base
        .iter()
        .copied()
        .chain(["--now", "2024-06-02T00:00:00Z", "--format", "ndjson"])
        .collect();
    let output = torhunt(&later, None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // No alert lines: only the closing run summary.
    let lines: Vec<Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{}", stdout(&output));
    assert_eq!(lines[0]["record"], "hunt_summary");
    assert_eq!(lines[0]["alerts"], 0);
    let csv_args: Vec<&str> = base
        .iter()
        .copied()
        .chain([
            "--now",
            &manifest.now,
            "--format",
            "csv",
            "--min-severity",
            "high",
        ])
        .collect();
    let output = torhunt(&csv_args, None);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let severities: BTreeSet<String> = reader.records().map(|r| r.unwrap()[2].to_string()).collect();
    assert_eq!(severities, BTreeSet::from(["High".to_string()]));
    assert!(
        stderr(&output).contains("below --min-severity High"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_rule_file_that_does_not_load_is_an_error() {
    let output = torhunt(
        &[
            "hunt",
            "--rules",
            "no/such/rules",
            "--data",
            "crates/torhunt/tests/data/seed",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no/such/rules"), "{}", stderr(&output));
}

#[test]
fn real_defender_samples_hunt_without_errors() {
    let Some(fixtures) = shared_fixtures::path("fixtures/mde") else {
        return;
    };
    let empty_store = tempfile::tempdir().unwrap();
    for sample in [
        "elastic-m365-streaming-device.ndjson",
        "plaso-advanced-hunting-export.csv",
    ] {
        let path = fixtures.join(sample);
        let output = torhunt(
            &[
                "hunt",
                "--data",
                path.to_str().unwrap(),
                "--intel",
                empty_store.path().to_str().unwrap(),
                "--lookback",
                "3650d",
                "--now",
                "2024-01-01T00:00:00Z",
                "--format",
                "json",
            ],
            None,
        );
        assert_ne!(output.status.code(), Some(2), "{sample}: {}", stderr(&output));
        let document: Value = serde_json::from_str(&stdout(&output)).unwrap();
        assert_eq!(document["summary"]["rules_failed"], 0, "{sample}");
        assert!(document["summary"]["rules_run"].as_u64().unwrap() > 0, "{sample}");
    }
}

#[test]
fn shipped_rule_tests_pass_and_rules_check() {
    let output = torhunt(&["rules", "test"], None);
    assert!(output.status.success(), "{}{}", stdout(&output), stderr(&output));
    assert!(stdout(&output).contains(" 0 failed"), "{}", stdout(&output));
    let output = torhunt(&["rules", "check"], None);
    assert!(output.status.success(), "{}{}", stdout(&output), stderr(&output));
    let list = stdout(&torhunt(&["rules", "list"], None));
    assert!(
        list.contains("26be4a5f-7e6f-4c2e-967d-467bddcbb51a") && list.contains("tor-client-process"),
        "{list}"
    );
    let show = torhunt(&["rules", "show", "DetectTorRelayConnectivity"], None);
    assert!(stdout(&show).contains("T1090.003"), "{}", stdout(&show));
    assert_eq!(torhunt(&["rules", "show", "nope"], None).status.code(), Some(2));
}

#[test]
fn a_failing_rule_test_fails_the_command() {
    let folder = tempfile::tempdir().unwrap();
    let rule = "name: Always one\nquery: DeviceInfo\ntests:\n- name: expects nothing\n  now: 2024-05-02T00:00:00Z\n  input:\n    DeviceInfo:\n    - {Timestamp: \"2024-05-01T00:00:00Z\", DeviceId: d}\n  expect: []\n";
    std::fs::write(folder.path().join("always.yaml"), rule).unwrap();
    let output = torhunt(
        &["rules", "--rules", folder.path().to_str().unwrap(), "test"],
        None,
    );
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("FAIL always-one: expects nothing"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn demo_explains_every_planted_event() {
    let output = torhunt(&["demo"], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("What was planted"), "{text}");
    assert!(!text.contains("UNEXPECTED"), "{text}");
    assert!(text.contains("no alert, as intended"), "{text}");
}

#[test]
fn rules_whose_tables_all_lack_telemetry_are_skipped_and_others_run() {
    // The data has DeviceNetworkEvents only. A rule on SigninLogs alone has nothing to read and is
    // skipped, naming the table; a rule that also reads DeviceRegistryEvents runs with it empty.
    let rules = tempfile::tempdir().unwrap();
    let rule = |id: &str, query: &str| {
        let text = format!("id: {id}\nname: {id}\nseverity: High\nquery: |\n  {query}\n");
        std::fs::write(rules.path().join(format!("{id}.yaml")), text).unwrap();
    };
    rule("sign-ins-only", "SigninLogs | where ResultType == \"0\"");
    rule(
        "network-or-registry",
        "union DeviceNetworkEvents, DeviceRegistryEvents | where RemotePort == 443",
    );
    let empty_store = tempfile::tempdir().unwrap();
    let output = torhunt(
        &[
            "hunt",
            "--rules",
            rules.path().to_str().unwrap(),
            "--data",
            "crates/torhunt/tests/data/seed/DeviceNetworkEvents.ndjson",
            "--now",
            "2024-05-02T00:00:00Z",
            "--intel",
            empty_store.path().to_str().unwrap(),
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let document: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(skipped_ids(&document), ["sign-ins-only"]);
    let reason = document["skipped"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("SigninLogs"), "{reason}");
    let alerting: BTreeSet<&str> = document["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(alerting, BTreeSet::from(["network-or-registry"]));
}

/// The prefilter never changes an alert: every shipped rule (relay history loaded, so none is
/// skipped), every layout, several seeds, prefilter on and off. The fleets are small (the demo's
/// story and a thousand everyday events) so that this stays a matter of seconds; the per-record proofs are the property tests of
/// `torhunt-prefilter` and `torhunt-sources`.
#[test]
fn alerts_are_identical_with_the_prefilter_on_and_off() {
    for seed in [1, 7, 42] {
        for layout in Layout::ALL {
            let root = tempfile::tempdir().unwrap();
            let store = tempfile::tempdir().unwrap();
            let config = FleetConfig {
                seed,
                network_events: 1_000,
                synthetic_relays: 50,
                ..FleetConfig::default()
            };
            let manifest = generate(&config, layout, root.path()).unwrap();
            import_relays(store.path(), &root.path().join(&manifest.relay_list));
            let (code_on, on) = hunt_fleet(root.path(), &manifest, store.path(), &[]);
            let (code_off, off) = hunt_fleet(root.path(), &manifest, store.path(), &["--no-prefilter"]);
            assert_eq!((code_on, code_off), (1, 1), "seed {seed}, {layout:?}");
            assert!(
                skipped_ids(&on).is_empty(),
                "seed {seed}, {layout:?}: {}",
                on["skipped"]
            );
            // Alerts of one rule come in the order its query's partitions finish: compare them sorted.
            let lines = |d: &Value| -> Vec<String> {
                let mut lines: Vec<String> = d["alerts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(Value::to_string)
                    .collect();
                lines.sort();
                lines
            };
            let (on_lines, off_lines) = (lines(&on), lines(&off));
            let differing: Vec<(&String, &String)> =
                on_lines.iter().zip(&off_lines).filter(|(a, b)| a != b).collect();
            assert!(
                on_lines.len() == off_lines.len() && differing.is_empty(),
                "seed {seed}, {layout:?}: {} alerts on, {} off; first difference {:?}",
                on_lines.len(),
                off_lines.len(),
                differing.first().map(|(a, b)| {
                    let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(0);
                    (
                        a[at.saturating_sub(30)..].chars().take(120).collect::<String>(),
                        b[at.saturating_sub(30)..].chars().take(120).collect::<String>(),
                    )
                })
            );
            assert_eq!(
                alert_keys(&on),
                expected_alerts(&manifest, &[]),
                "seed {seed}, {layout:?}"
            );
        }
    }
}
