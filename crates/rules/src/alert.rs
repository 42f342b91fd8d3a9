//! Alerts: one per row a rule returns, with the rule's identity, the row, and the entities named by
//! the rule's entity columns.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use torhunt_engine::QueryResult;
use torhunt_engine::output::rows_json;

use crate::rule::{EntityColumns, Rule, Severity};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub rule_id: String,
    pub rule_name: String,
    pub severity: Severity,
    pub tactics: Vec<String>,
    pub techniques: Vec<String>,
    /// The rule's alert title with the row's values filled in.
    pub title: String,
    /// The row's time (ISO 8601 UTC), when the rule's result has a time column.
    pub time: Option<String>,
    pub device: DeviceEntity,
    pub process: ProcessEntity,
    pub remote_ip: Option<String>,
    pub remote_url: Option<String>,
    /// The Tor relay the row matched, for relay rules.
    pub relay: Option<RelayEntity>,
    /// The matched row, column → Kusto JSON value, in result order.
    pub row: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceEntity {
    pub id: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProcessEntity {
    pub name: Option<String>,
    pub path: Option<String>,
    pub command_line: Option<String>,
    pub account: Option<String>,
}

/// A Tor relay's details: from the intel store (`tor_relay_info`) when one is loaded, else from the
/// row's own relay columns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RelayEntity {
    pub address: String,
    pub fingerprint: Option<String>,
    pub nickname: Option<String>,
    pub flags: Vec<String>,
    pub country: Option<String>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

impl Alert {
    /// The device as people read it: `name (id)`, or whichever of the two the alert has.
    pub fn device_label(&self) -> String {
        match (&self.device.name, &self.device.id) {
            (Some(name), Some(id)) => format!("{name} ({id})"),
            (Some(name), None) => name.clone(),
            (None, Some(id)) => id.clone(),
            (None, None) => "(no device)".to_string(),
        }
    }

    /// What tells devices apart: the id where the alert has one (some rules project no device name),
    /// else the label.
    pub fn device_key(&self) -> String {
        self.device.id.clone().unwrap_or_else(|| self.device_label())
    }
}

/// The alerts of one rule's result.
pub fn alerts_from_result(rule: &Rule, result: &QueryResult) -> Vec<Alert> {
    let names: Vec<&str> = result.columns.iter().map(|c| c.name.as_str()).collect();
    let entities = rule.entities.resolved(&names);
    rows_json(&result.columns, &result.batches)
        .map(|values| {
            let row: Map<String, Value> = names.iter().map(|n| n.to_string()).zip(values).collect();
            alert_from_row(rule, &entities, row)
        })
        .collect()
}

fn alert_from_row(rule: &Rule, entities: &EntityColumns, row: Map<String, Value>) -> Alert {
    let text = |column: &Option<String>| column.as_deref().and_then(|c| row.get(c)).and_then(value_text);
    let relay = text(&entities.relay_address).map(|address| RelayEntity {
        address,
        fingerprint: text(&entities.relay_fingerprint),
        nickname: text(&entities.relay_nickname),
        country: text(&entities.relay_country),
        ..RelayEntity::default()
    });
    Alert {
        rule_id: rule.id.clone(),
        rule_name: rule.name.clone(),
        severity: rule.severity,
        tactics: rule.tactics.clone(),
        techniques: rule.techniques.clone(),
        title: render_title(rule.alert_title.as_deref().unwrap_or(&rule.name), &row),
        time: text(&entities.time),
        device: DeviceEntity {
            id: text(&entities.device_id),
            name: text(&entities.device_name),
        },
        process: ProcessEntity {
            name: text(&entities.process_name),
            path: text(&entities.process_path),
            command_line: text(&entities.command_line),
            account: text(&entities.account),
        },
        remote_ip: text(&entities.remote_ip),
        remote_url: text(&entities.remote_url),
        relay,
        row,
    }
}

/// A value as display text; empty strings and nulls are absent.
pub(crate) fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) if text.is_empty() => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// Replaces each `{{Column}}` with the row's value (empty when absent or null).
pub fn render_title(template: &str, row: &Map<String, Value>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}") else {
            break;
        };
        out.push_str(&rest[..open]);
        let column = rest[open + 2..open + close].trim();
        out.push_str(&row.get(column).and_then(value_text).unwrap_or_default());
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
    out
}

/// The `{{Column}}` placeholders of a title template.
pub fn title_columns(template: &str) -> Vec<&str> {
    template
        .split("{{")
        .skip(1)
        .filter_map(|part| part.split_once("}}").map(|(column, _)| column.trim()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn titles_fill_placeholders_from_the_row() {
        let row = json!({"DeviceName": "ws-01", "RemotePort": 9001, "Empty": null})
            .as_object()
            .unwrap()
            .clone();
        assert_eq!(
            render_title("{{ DeviceName }} -> :{{RemotePort}}{{Empty}}", &row),
            "ws-01 -> :9001"
        );
        assert_eq!(render_title("unclosed {{x", &row), "unclosed {{x");
        assert_eq!(title_columns("a {{B}} c {{ D }}"), ["B", "D"]);
    }
}
