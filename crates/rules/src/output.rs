//! Printing a hunt's alerts: a grouped table for people, JSON / NDJSON / CSV for tools.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{Value, json};
use torhunt_engine::output::{OutputFormat, terminal_safe as safe};

use crate::alert::Alert;
use crate::hunt::{HuntReport, window_text};
use crate::summary::HuntSummary;

/// The flat columns of CSV output, in order.
const CSV_COLUMNS: &[&str] = &[
    "rule_id",
    "rule_name",
    "severity",
    "tactics",
    "techniques",
    "title",
    "time",
    "device_id",
    "device_name",
    "process_name",
    "process_path",
    "command_line",
    "account",
    "remote_ip",
    "remote_url",
    "relay_address",
    "relay_fingerprint",
    "relay_nickname",
    "relay_flags",
    "relay_country",
    "relay_first_seen",
    "relay_last_seen",
    "row",
];

/// Writes the alerts of a hunt. Table output also lists the skipped rules and a summary line; NDJSON
/// ends with the run summary record, JSON carries it as `run` (beside its own `summary` counts and
/// skipped rules); CSV carries only alerts.
pub fn write_alerts(
    report: &HuntReport,
    run: &HuntSummary,
    format: OutputFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Json => {
            let document = json!({
                "summary": summary_json(report),
                "alerts": report.alerts,
                "skipped": report.skipped.iter().map(|s| json!({"rule_id": s.rule_id, "rule_name": s.rule_name, "reason": s.reason})).collect::<Vec<_>>(),
                "run": run,
            });
            serde_json::to_writer_pretty(&mut *out, &document)?;
            writeln!(out)
        }
        OutputFormat::Ndjson => {
            for alert in &report.alerts {
                serde_json::to_writer(&mut *out, alert)?;
                writeln!(out)?;
            }
            serde_json::to_writer(&mut *out, run)?;
            writeln!(out)
        }
        OutputFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record(CSV_COLUMNS)?;
            for alert in &report.alerts {
                writer.write_record(csv_record(alert))?;
            }
            writer.flush()
        }
        OutputFormat::Table => write_table(report, out),
    }
}

fn summary_json(report: &HuntReport) -> Value {
    json!({
        "alerts": report.alerts.len(),
        "rules_run": report.ran.len(),
        "rules_with_alerts": report.ran.iter().filter(|r| r.alerts > 0).count(),
        "rules_skipped": report.skipped.len(),
        "rules_failed": report.failed.len(),
        "devices": devices(&report.alerts).len(),
    })
}

/// Distinct devices (see [`Alert::device_key`]).
fn devices(alerts: &[Alert]) -> std::collections::BTreeSet<String> {
    alerts.iter().map(Alert::device_key).collect()
}

fn csv_record(alert: &Alert) -> Vec<String> {
    let relay = alert.relay.clone().unwrap_or_default();
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    vec![
        alert.rule_id.clone(),
        alert.rule_name.clone(),
        alert.severity.to_string(),
        alert.tactics.join("; "),
        alert.techniques.join("; "),
        alert.title.clone(),
        text(&alert.time),
        text(&alert.device.id),
        text(&alert.device.name),
        text(&alert.process.name),
        text(&alert.process.path),
        text(&alert.process.command_line),
        text(&alert.process.account),
        text(&alert.remote_ip),
        text(&alert.remote_url),
        relay.address,
        text(&relay.fingerprint),
        text(&relay.nickname),
        relay.flags.join(" "),
        text(&relay.country),
        text(&relay.first_seen),
        text(&relay.last_seen),
        Value::Object(alert.row.clone()).to_string(),
    ]
}

/// Alerts grouped by rule, then device; one line per alert; then skipped rules and a summary. Text from
/// rules and telemetry is terminal-safe (control characters escaped).
fn write_table(report: &HuntReport, out: &mut dyn Write) -> io::Result<()> {
    let mut by_rule: BTreeMap<(std::cmp::Reverse<crate::rule::Severity>, &str), Vec<&Alert>> =
        BTreeMap::new();
    for alert in &report.alerts {
        by_rule
            .entry((std::cmp::Reverse(alert.severity), alert.rule_id.as_str()))
            .or_default()
            .push(alert);
    }
    for ((_, rule_id), alerts) in &by_rule {
        let first = alerts[0];
        let mitre: Vec<&str> = first
            .techniques
            .iter()
            .chain(&first.tactics)
            .map(String::as_str)
            .collect();
        writeln!(
            out,
            "[{}] {} ({})",
            first.severity,
            safe(&first.rule_name),
            safe(rule_id)
        )?;
        if !mitre.is_empty() {
            writeln!(out, "  MITRE: {}", safe(&mitre.join(", ")))?;
        }
        let mut by_device: BTreeMap<String, Vec<&Alert>> = BTreeMap::new();
        for alert in alerts {
            by_device.entry(alert.device_label()).or_default().push(alert);
        }
        for (device, alerts) in by_device {
            writeln!(
                out,
                "  {}: {} alert{}",
                safe(&device),
                alerts.len(),
                plural(alerts.len())
            )?;
            for alert in alerts {
                writeln!(out, "    {}", safe(&alert_line(alert)))?;
            }
        }
        writeln!(out)?;
    }
    for skipped in &report.skipped {
        writeln!(
            out,
            "skipped {} ({}): {}",
            safe(&skipped.rule_name),
            safe(&skipped.rule_id),
            safe(&skipped.reason)
        )?;
    }
    let windows: std::collections::BTreeSet<String> =
        report.ran.iter().map(|r| window_text(r.window)).collect();
    let devices = devices(&report.alerts).len();
    writeln!(
        out,
        "{} alert{} from {} of {} rule{} run on {} device{}; {} skipped, {} failed{}",
        report.alerts.len(),
        plural(report.alerts.len()),
        report.ran.iter().filter(|r| r.alerts > 0).count(),
        report.ran.len(),
        plural(report.ran.len()),
        devices,
        plural(devices),
        report.skipped.len(),
        report.failed.len(),
        if windows.is_empty() {
            String::new()
        } else {
            format!(
                " (windows: {})",
                windows.into_iter().collect::<Vec<_>>().join(", ")
            )
        },
    )
}

/// `time  process  -> remote  title  relay ...` with the parts the alert has.
fn alert_line(alert: &Alert) -> String {
    let mut parts: Vec<String> = Vec::new();
    parts.extend(alert.time.clone());
    parts.extend(alert.process.name.clone().or_else(|| alert.process.path.clone()));
    let remote = alert.remote_url.clone().or_else(|| alert.remote_ip.clone());
    parts.extend(remote.map(|r| format!("-> {r}")));
    if alert.title != alert.rule_name {
        parts.push(format!("\"{}\"", alert.title));
    }
    if let Some(relay) = &alert.relay {
        let mut details = vec![relay.address.clone()];
        details.extend(relay.nickname.clone());
        details.extend(relay.fingerprint.clone());
        details.extend(relay.country.clone());
        if !relay.flags.is_empty() {
            details.push(relay.flags.join(","));
        }
        if let (Some(first), Some(last)) = (&relay.first_seen, &relay.last_seen) {
            details.push(format!("seen {first} .. {last}"));
        }
        parts.push(format!("relay {}", details.join(" ")));
    }
    parts.join("  ")
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
