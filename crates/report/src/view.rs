//! What the template shows, worked out from a saved run: counts, devices with their timelines, alerts
//! with their rule and relay, rules with their KQL. Values stay plain text here (the template escapes
//! them); anchors are numbered here, never taken from the data.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;
use torhunt_rules::alert::{Alert, RelayEntity};
use torhunt_rules::summary::{DataRead, HuntSummary, RuleStatus, RuleSummary, TimeRange};
use torhunt_rules::{SavedRun, Severity};

use crate::links;
use crate::timeline::{Timeline, timeline};

#[derive(Serialize)]
pub struct ReportView {
    pub summary: SummaryView,
    pub devices: Vec<DeviceView>,
    pub alerts: Vec<AlertView>,
    pub rules: Vec<RuleView>,
}

#[derive(Serialize)]
pub struct SummaryView {
    /// False for files saved before runs carried a summary: time range, data and skipped rules unknown.
    pub has_run: bool,
    pub now: Option<String>,
    pub time_range: Option<TimeRange>,
    pub alerts: usize,
    pub rules_ran: usize,
    pub by_severity: Vec<Count>,
    pub by_rule: Vec<Count>,
    pub by_device: Vec<Count>,
    pub data: Option<DataRead>,
    pub skipped: Vec<RuleOutcome>,
    pub failed: Vec<RuleOutcome>,
}

/// A line of a count table; `anchor` points at the section it counts, `severity` styles it.
#[derive(Serialize)]
pub struct Count {
    pub label: String,
    pub count: usize,
    pub anchor: Option<String>,
    pub severity: Option<&'static str>,
}

#[derive(Serialize)]
pub struct RuleOutcome {
    pub name: String,
    pub id: String,
    pub reason: String,
    pub anchor: String,
}

#[derive(Serialize)]
pub struct DeviceView {
    pub anchor: String,
    pub label: String,
    pub alerts: usize,
    pub timeline: Timeline,
}

#[derive(Serialize)]
pub struct Technique {
    pub id: String,
    pub url: Option<String>,
}

#[derive(Serialize)]
pub struct AlertView {
    pub anchor: String,
    pub time: Option<String>,
    pub severity: String,
    pub severity_class: &'static str,
    pub severity_rank: u8,
    pub title: String,
    pub device: String,
    pub device_id: Option<String>,
    pub device_anchor: String,
    pub process: Option<String>,
    pub command_line: Option<String>,
    pub account: Option<String>,
    pub remote: Option<String>,
    pub rule_name: String,
    pub rule_id: String,
    pub rule_anchor: Option<String>,
    pub tactics: Vec<String>,
    pub techniques: Vec<Technique>,
    pub description: Option<String>,
    pub recommended_actions: Vec<String>,
    pub relay: Option<RelayEntity>,
    /// The relay's Tor Metrics page, when its fingerprint is one.
    pub relay_url: Option<String>,
    /// The matched row: column and its value as text (JSON for non-strings).
    pub row: Vec<(String, String)>,
}

#[derive(Serialize)]
pub struct RuleView {
    pub anchor: String,
    pub rule: RuleSummary,
    pub severity_class: &'static str,
    pub severity_rank: u8,
    pub status: &'static str,
    pub techniques: Vec<Technique>,
}

pub fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Informational => "sev-informational",
        Severity::Low => "sev-low",
        Severity::Medium => "sev-medium",
        Severity::High => "sev-high",
    }
}

fn techniques(ids: &[String]) -> Vec<Technique> {
    ids.iter()
        .map(|id| Technique {
            id: id.clone(),
            url: links::mitre_technique(id),
        })
        .collect()
}

pub fn report_view(run: &SavedRun) -> ReportView {
    let rules: Vec<RuleView> = run
        .summary
        .iter()
        .flat_map(|s| &s.rules)
        .enumerate()
        .map(|(index, rule)| RuleView {
            anchor: format!("rule-{}", index + 1),
            rule: rule.clone(),
            severity_class: severity_class(rule.severity),
            severity_rank: rule.severity as u8,
            status: match rule.status {
                RuleStatus::Ran => "ran",
                RuleStatus::Skipped => "skipped",
                RuleStatus::Failed => "failed",
            },
            techniques: techniques(&rule.techniques),
        })
        .collect();
    let rule_view = |id: &str| rules.iter().find(|r| r.rule.id == id);
    // Devices in order of first appearance, each keyed as the text output keys them.
    let mut device_keys: Vec<String> = Vec::new();
    for alert in &run.alerts {
        let key = alert.device_key();
        if !device_keys.contains(&key) {
            device_keys.push(key);
        }
    }
    let device_anchor = |alert: &Alert| {
        let key = alert.device_key();
        let index = device_keys.iter().position(|k| *k == key).unwrap_or(0);
        format!("device-{}", index + 1)
    };
    let alerts: Vec<AlertView> = run
        .alerts
        .iter()
        .enumerate()
        .map(|(index, alert)| alert_view(index, alert, rule_view(&alert.rule_id), device_anchor(alert)))
        .collect();
    let range = run.summary.as_ref().and_then(|s| s.time_range.clone());
    let devices: Vec<DeviceView> = device_keys
        .iter()
        .enumerate()
        .map(|(index, key)| {
            let own: Vec<(&Alert, &AlertView)> = run
                .alerts
                .iter()
                .zip(&alerts)
                .filter(|(alert, _)| alert.device_key() == *key)
                .collect();
            DeviceView {
                anchor: format!("device-{}", index + 1),
                // Some rules project no device name: label the device from an alert that has one.
                label: own
                    .iter()
                    .find(|(alert, _)| alert.device.name.is_some())
                    .or(own.first())
                    .map(|(alert, _)| alert.device_label())
                    .unwrap_or_default(),
                alerts: own.len(),
                timeline: timeline(&own, range.as_ref()),
            }
        })
        .collect();
    ReportView {
        summary: summary_view(run.summary.as_ref(), &run.alerts, &alerts, &devices, &rules),
        devices,
        alerts,
        rules,
    }
}

fn alert_view(index: usize, alert: &Alert, rule: Option<&RuleView>, device_anchor: String) -> AlertView {
    AlertView {
        anchor: format!("alert-{}", index + 1),
        time: alert.time.clone(),
        severity: alert.severity.to_string(),
        severity_class: severity_class(alert.severity),
        severity_rank: alert.severity as u8,
        title: alert.title.clone(),
        device: alert.device_label(),
        device_id: alert.device.id.clone(),
        device_anchor,
        process: alert.process.path.clone().or_else(|| alert.process.name.clone()),
        command_line: alert.process.command_line.clone(),
        account: alert.process.account.clone(),
        remote: alert.remote_url.clone().or_else(|| alert.remote_ip.clone()),
        rule_name: alert.rule_name.clone(),
        rule_id: alert.rule_id.clone(),
        rule_anchor: rule.map(|r| r.anchor.clone()),
        tactics: alert.tactics.clone(),
        techniques: techniques(&alert.techniques),
        description: rule.map(|r| r.rule.description.clone()).filter(|d| !d.is_empty()),
        recommended_actions: rule
            .map(|r| r.rule.recommended_actions.clone())
            .unwrap_or_default(),
        relay: alert.relay.clone(),
        relay_url: alert
            .relay
            .as_ref()
            .and_then(|r| r.fingerprint.as_deref())
            .and_then(links::relay_search),
        row: alert
            .row
            .iter()
            .map(|(column, value)| {
                let text = match value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                (column.clone(), text)
            })
            .collect(),
    }
}

fn summary_view(
    summary: Option<&HuntSummary>,
    alerts: &[Alert],
    views: &[AlertView],
    devices: &[DeviceView],
    rules: &[RuleView],
) -> SummaryView {
    let severities = [
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Informational,
    ];
    let by_severity = severities
        .iter()
        .map(|severity| Count {
            label: severity.to_string(),
            count: alerts.iter().filter(|a| a.severity == *severity).count(),
            anchor: None,
            severity: Some(severity_class(*severity)),
        })
        .filter(|count| count.count > 0)
        .collect();
    let mut by_rule: BTreeMap<(std::cmp::Reverse<Severity>, String), Count> = BTreeMap::new();
    for (alert, view) in alerts.iter().zip(views) {
        by_rule
            .entry((std::cmp::Reverse(alert.severity), alert.rule_id.clone()))
            .or_insert_with(|| Count {
                label: alert.rule_name.clone(),
                count: 0,
                anchor: view.rule_anchor.clone(),
                severity: Some(view.severity_class),
            })
            .count += 1;
    }
    let mut by_device = devices
        .iter()
        .map(|device| Count {
            label: device.label.clone(),
            count: device.alerts,
            anchor: Some(device.anchor.clone()),
            severity: None,
        })
        .collect::<Vec<_>>();
    by_device.sort_by_key(|device| std::cmp::Reverse(device.count));
    let outcomes = |status: &str| {
        rules
            .iter()
            .filter(|r| r.status == status)
            .map(|r| RuleOutcome {
                name: r.rule.name.clone(),
                id: r.rule.id.clone(),
                reason: r.rule.reason.clone().unwrap_or_default(),
                anchor: r.anchor.clone(),
            })
            .collect::<Vec<_>>()
    };
    SummaryView {
        has_run: summary.is_some(),
        now: summary.map(|s| s.now.clone()),
        time_range: summary.and_then(|s| s.time_range.clone()),
        alerts: alerts.len(),
        rules_ran: rules.iter().filter(|r| r.status == "ran").count(),
        by_severity,
        by_rule: by_rule.into_values().collect(),
        by_device,
        data: summary.map(|s| s.data.clone()),
        skipped: outcomes("skipped"),
        failed: outcomes("failed"),
    }
}
