//! Sentinel suppression over a watched folder: after a run that alerts, runs before the suppression
//! ends write nothing; a later run alerts again.

use std::path::PathBuf;

use torhunt_engine::{Engine, EngineConfig};
use torhunt_rules::{Severity, load_rule_texts};
use torhunt_sources::{ReadOptions, StorageSettings, Stores};
use torhunt_watch::{State, Watch};

use crate::fleet::{HOUR_NANOS, alerts};

const RULE: &str = "id: tor-exe\nname: tor.exe started\nseverity: High\nqueryFrequency: 1h\n\
    suppressionEnabled: true\nsuppressionDuration: 3h\n\
    query: |\n  DeviceProcessEvents\n  | where FileName =~ \"tor.exe\"\n  | project Timestamp, DeviceId, FileName, ReportId\n";

#[tokio::test]
async fn suppression_drops_alerts_of_the_runs_it_covers() {
    let data = tempfile::tempdir().unwrap();
    let state_dir = tempfile::tempdir().unwrap();
    let records: String = ["00:10", "01:10", "02:10", "04:10"]
        .iter()
        .enumerate()
        .map(|(n, time)| {
            format!(
                "{{\"Timestamp\":\"2024-05-01T{time}:00Z\",\"DeviceId\":\"d1\",\"FileName\":\"tor.exe\",\"ReportId\":{n}}}\n"
            )
        })
        .collect();
    std::fs::write(data.path().join("DeviceProcessEvents.ndjson"), records).unwrap();
    let rules = load_rule_texts(&[(PathBuf::from("tor-exe.yaml"), RULE.to_string())])
        .all()
        .unwrap();
    let output = state_dir.path().join("alerts.ndjson");
    let watch = Watch {
        data: vec![data.path().to_path_buf()],
        state_dir: state_dir.path().to_path_buf(),
        rules,
        engine: Engine::new(EngineConfig::default()).unwrap(),
        read: ReadOptions::default(),
        stores: Stores::new(StorageSettings::default()),
        min_severity: Severity::Informational,
        variant: None,
        output: Some(output.clone()),
        webhook: None,
    };
    let mut state = State::load(state_dir.path()).unwrap();
    // 2024-05-01T05:05:00Z
    let now = 1_714_521_600 * 1_000_000_000 + 5 * HOUR_NANOS + 300 * 1_000_000_000;
    let report = watch.cycle(&mut state, now).await.unwrap();
    assert_eq!(report.rules.len(), 1);
    assert_eq!(report.rules[0].runs.len(), 4, "one run per hour with records");
    assert_eq!(
        report.suppressed, 2,
        "01:10 and 02:10 fall in the 3h after the 01:00 run's alert"
    );
    let written: Vec<i64> = alerts(&output)
        .iter()
        .map(|a| a["row"]["ReportId"].as_i64().unwrap())
        .collect();
    assert_eq!(written, [0, 3]);

    // The next cycle has nothing new: nothing runs twice, nothing is written again.
    let again = watch.cycle(&mut state, now + HOUR_NANOS).await.unwrap();
    assert!(again.alerts.is_empty());
    assert_eq!(alerts(&output).len(), 2);
}
