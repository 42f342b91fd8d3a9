//! Saved runs to render: one with `text` in every field a run carries, and a small plausible one.

use serde_json::{Map, Value, json};
use torhunt_rules::SavedRun;
use torhunt_rules::Severity;
use torhunt_rules::alert::{Alert, DeviceEntity, ProcessEntity, RelayEntity};
use torhunt_rules::summary::{
    DataRead, HuntSummary, MalformedFile, RuleStatus, RuleSummary, TableRead, TimeRange,
};

pub fn row(pairs: &[(&str, &str)]) -> Map<String, Value> {
    pairs.iter().map(|(k, v)| (k.to_string(), json!(v))).collect()
}

pub fn rule(id: &str, name: &str, severity: Severity, status: RuleStatus, text: &str) -> RuleSummary {
    RuleSummary {
        id: id.to_string(),
        name: name.to_string(),
        severity,
        tactics: vec![text.to_string()],
        techniques: vec!["T1090.003".to_string(), text.to_string()],
        description: format!("Description: {text}"),
        recommended_actions: vec![format!("Act: {text}")],
        false_positives: vec![format!("Benign: {text}")],
        query: format!("DeviceNetworkEvents | where RemoteUrl has \"{text}\""),
        source: format!("rules/{text}.yaml"),
        status,
        reason: (status != RuleStatus::Ran).then(|| format!("because {text}")),
        window: (status == RuleStatus::Ran).then(|| "7.00:00:00".to_string()),
        rows: (status == RuleStatus::Ran).then_some(1),
        alerts: (status == RuleStatus::Ran).then_some(1),
    }
}

/// A run whose every string — device, process, URL, relay, row, rule text, file names, reasons — is
/// `text` (or holds it).
pub fn run_with_text_everywhere(text: &str) -> SavedRun {
    let alert = Alert {
        rule_id: text.to_string(),
        rule_name: text.to_string(),
        severity: Severity::High,
        tactics: vec![text.to_string()],
        techniques: vec![text.to_string()],
        title: text.to_string(),
        time: Some("2024-05-01T10:00:00Z".to_string()),
        device: DeviceEntity {
            id: Some(text.to_string()),
            name: Some(text.to_string()),
        },
        process: ProcessEntity {
            name: Some(text.to_string()),
            path: Some(text.to_string()),
            command_line: Some(text.to_string()),
            account: Some(text.to_string()),
        },
        remote_ip: Some(text.to_string()),
        remote_url: Some(text.to_string()),
        relay: Some(RelayEntity {
            address: text.to_string(),
            fingerprint: Some(text.to_string()),
            nickname: Some(text.to_string()),
            flags: vec![text.to_string()],
            country: Some(text.to_string()),
            first_seen: Some(text.to_string()),
            last_seen: Some(text.to_string()),
        }),
        row: row(&[(text, text), ("RemoteUrl", text)]),
    };
    let summary = HuntSummary {
        record: "hunt_summary".to_string(),
        version: 1,
        now: text.to_string(),
        time_range: Some(TimeRange {
            start: text.to_string(),
            end: text.to_string(),
        }),
        alerts: 1,
        data: DataRead {
            paths: vec![text.to_string()],
            tables: vec![TableRead {
                table: text.to_string(),
                files: 1,
                rows_scanned: 3,
                malformed: 1,
                skipped_unparsed: 0,
                messages_skipped_unparsed: 0,
                malformed_files: vec![MalformedFile {
                    file: text.to_string(),
                    records: 1,
                    reasons: vec![text.to_string()],
                }],
            }],
        },
        rules: vec![
            rule(text, text, Severity::High, RuleStatus::Ran, text),
            rule("skipped", text, Severity::Low, RuleStatus::Skipped, text),
            rule("failed", text, Severity::Medium, RuleStatus::Failed, text),
        ],
    };
    SavedRun {
        alerts: vec![alert],
        summary: Some(summary),
    }
}

/// Three alerts on two devices from two rules, a skipped rule, and a relay with its details.
pub fn small_run() -> SavedRun {
    let alert = |rule: &RuleSummary, device: (&str, &str), time: &str, url: &str| Alert {
        rule_id: rule.id.clone(),
        rule_name: rule.name.clone(),
        severity: rule.severity,
        tactics: vec!["Command and Control".to_string()],
        techniques: vec!["T1090.003".to_string()],
        title: format!("{} on {}", url, device.1),
        time: Some(time.to_string()),
        device: DeviceEntity {
            id: Some(device.0.to_string()),
            name: Some(device.1.to_string()),
        },
        process: ProcessEntity {
            name: Some("tor.exe".to_string()),
            ..ProcessEntity::default()
        },
        remote_ip: Some("192.0.2.7".to_string()),
        remote_url: Some(url.to_string()),
        relay: None,
        row: row(&[("Timestamp", time), ("DeviceName", device.1), ("RemoteUrl", url)]),
    };
    let mut relay_rule = rule(
        "tor-relay-connection",
        "Tor relay",
        Severity::Medium,
        RuleStatus::Ran,
        "relay",
    );
    relay_rule.alerts = Some(1);
    let mut torrent = rule(
        "torrent-client",
        "Torrent client",
        Severity::High,
        RuleStatus::Ran,
        "torrent",
    );
    torrent.alerts = Some(2);
    let onion = rule(
        "onion-domain",
        "Onion domain",
        Severity::Low,
        RuleStatus::Skipped,
        "no DeviceEvents",
    );
    let mut relay_alert = alert(&relay_rule, ("d1", "ws-01"), "2024-05-01T06:00:00Z", "192.0.2.7");
    relay_alert.relay = Some(RelayEntity {
        address: "192.0.2.7".to_string(),
        fingerprint: Some("9695DFC35FFEB861329B9F1AB04C46397020CE31".to_string()),
        nickname: Some("moria1".to_string()),
        flags: vec!["Guard".to_string(), "Running".to_string()],
        country: Some("us".to_string()),
        first_seen: Some("2024-04-01T00:00:00Z".to_string()),
        last_seen: Some("2024-05-01T00:00:00Z".to_string()),
    });
    let alerts = vec![
        alert(
            &torrent,
            ("d1", "ws-01"),
            "2024-05-01T12:00:00Z",
            "tracker.example.org",
        ),
        relay_alert,
        alert(
            &torrent,
            ("d2", "ws-02"),
            "2024-04-30T00:00:00Z",
            "tracker.example.net",
        ),
    ];
    SavedRun {
        summary: Some(HuntSummary {
            record: "hunt_summary".to_string(),
            version: 1,
            now: "2024-05-02T00:00:00Z".to_string(),
            time_range: Some(TimeRange {
                start: "2024-04-25T00:00:00Z".to_string(),
                end: "2024-05-02T00:00:00Z".to_string(),
            }),
            alerts: alerts.len(),
            data: DataRead {
                paths: vec!["exports/".to_string()],
                tables: vec![TableRead {
                    table: "DeviceNetworkEvents".to_string(),
                    files: 2,
                    rows_scanned: 100,
                    malformed: 0,
                    skipped_unparsed: 7,
                    messages_skipped_unparsed: 2,
                    malformed_files: Vec::new(),
                }],
            },
            rules: vec![torrent, relay_rule, onion],
        }),
        alerts,
    }
}
