//! A simulated clock over a fleet delivered hour by hour, some records three hours late: every
//! planted event still raises the alerts the fleet's manifest says it must, and each alert is in the
//! output once.

use std::collections::BTreeSet;

use kql_types::time::parse_datetime;
use torhunt_synth::rule_ids::{DETECT_TOR_RELAY_CONNECTIVITY, TOR_CONNECTION_ESTABLISHED};
use torhunt_watch::State;

use crate::fleet::{HOUR_NANOS, alerts, fleet};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn late_records_raise_their_alerts_once() {
    let fleet = fleet();
    let data = tempfile::tempdir().unwrap();
    let state_dir = tempfile::tempdir().unwrap();
    let output = state_dir.path().join("alerts.ndjson");
    let (first, last) = fleet.hours();
    fleet.deliver(data.path(), first, true);
    let mut now_hour = first + HOUR_NANOS;
    while now_hour <= last + HOUR_NANOS {
        // The hour that ended is complete now; the current one is half written.
        fleet.deliver(data.path(), now_hour - HOUR_NANOS, false);
        fleet.deliver(data.path(), now_hour, true);
        // A new watcher each cycle, as cron runs `torhunt watch --once`.
        let watch = fleet.watch(data.path(), state_dir.path(), Some(output.clone()), None);
        let mut state = State::load(state_dir.path()).unwrap();
        let report = watch
            .cycle(&mut state, now_hour + 5 * 60_000_000_000)
            .await
            .unwrap();
        assert!(report.failed.is_empty(), "{:?}", report.failed);
        assert!(report.lost.is_empty(), "{:?}", report.lost);
        for rule in &report.rules {
            assert_eq!(rule.blocked, None, "{}", rule.rule_id);
        }
        now_hour += HOUR_NANOS;
    }

    let written = alerts(&output);
    let ids: BTreeSet<&str> = written.iter().map(|a| a["alert_id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), written.len(), "an alert was written twice");

    let watched: BTreeSet<String> = fleet.rules().iter().map(|r| r.id.clone()).collect();
    let raised = |rule: &str, device: &str, time: &str| {
        written.iter().any(|a| {
            a["rule_id"] == rule
                && a["device"]["id"] == device
                && a["time"].as_str().and_then(parse_datetime) == parse_datetime(time)
        })
    };
    let mut late_alerted = 0;
    for planted in &fleet.manifest.planted {
        for rule in planted.expected_rules.iter().filter(|r| watched.contains(*r)) {
            assert!(
                raised(rule, &planted.device_id, &planted.time),
                "{rule} raised no alert for the planted {} at {}{}",
                planted.scenario,
                planted.time,
                if fleet.late_planted.contains(&planted.report_id) {
                    " (delivered late)"
                } else {
                    ""
                }
            );
            if fleet.late_planted.contains(&planted.report_id) {
                late_alerted += 1;
            }
        }
    }
    assert!(late_alerted > 0, "no planted event was delivered late");
    // The founding queries' row counts over the whole fleet, from the manifest: no extra alert.
    for rule in [TOR_CONNECTION_ESTABLISHED, DETECT_TOR_RELAY_CONNECTIVITY] {
        let count = written.iter().filter(|a| a["rule_id"] == rule).count() as u64;
        assert_eq!(Some(&count), fleet.manifest.expected_rows.get(rule), "{rule}");
    }
}
