//! The rule model every format loads into: identity, MITRE context, guidance, one or more query
//! variants, the columns that name an alert's entities, and embedded test cases.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::document::QuerySource;

/// How urgent a rule's alerts are; ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    Informational,
    Low,
    Medium,
    High,
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(text: &str) -> Result<Severity, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "informational" | "info" => Ok(Severity::Informational),
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            _ => Err(format!(
                "`{text}` is not a severity (Informational, Low, Medium or High)"
            )),
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Informational => "Informational",
            Severity::Low => "Low",
            Severity::Medium => "Medium",
            Severity::High => "High",
        })
    }
}

/// A Sentinel analytic rule's alert condition on the number of result rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trigger {
    pub operator: TriggerOperator,
    pub threshold: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriggerOperator {
    GreaterThan,
    LessThan,
    Equal,
    NotEqual,
}

impl FromStr for TriggerOperator {
    type Err = String;

    fn from_str(text: &str) -> Result<TriggerOperator, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "gt" | "greaterthan" => Ok(TriggerOperator::GreaterThan),
            "lt" | "lessthan" => Ok(TriggerOperator::LessThan),
            "eq" | "equal" => Ok(TriggerOperator::Equal),
            "ne" | "notequal" => Ok(TriggerOperator::NotEqual),
            _ => Err(format!("`{text}` is not a trigger operator (gt, lt, eq, ne)")),
        }
    }
}

impl Trigger {
    /// Whether a result with `rows` rows raises alerts.
    pub fn fires(&self, rows: usize) -> bool {
        let rows = rows as u64;
        match self.operator {
            TriggerOperator::GreaterThan => rows > self.threshold,
            TriggerOperator::LessThan => rows < self.threshold,
            TriggerOperator::Equal => rows == self.threshold,
            TriggerOperator::NotEqual => rows != self.threshold,
        }
    }
}

/// Sentinel's `eventGroupingSettings.aggregationKind`: one alert for all rows of a run, or one per row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventGrouping {
    SingleAlert,
    AlertPerResult,
}

impl FromStr for EventGrouping {
    type Err = String;

    fn from_str(text: &str) -> Result<EventGrouping, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "singlealert" => Ok(EventGrouping::SingleAlert),
            "alertperresult" => Ok(EventGrouping::AlertPerResult),
            _ => Err(format!(
                "`{text}` is not an aggregationKind (SingleAlert or AlertPerResult)"
            )),
        }
    }
}

/// One runnable query of a rule. Markdown documents give one per fenced block (the Defender variant
/// filters on `Timestamp`, the Sentinel one on `TimeGenerated`); YAML rules have one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The section heading the query came from, e.g. "Defender for Endpoint"; `None` for single-query rules.
    pub name: Option<String>,
    pub query: String,
    /// `TimeGenerated` when the query names it, else `Timestamp`.
    pub time_column: String,
    pub source: QuerySource,
}

/// Result columns that name an alert's entities. Unset ones fall back to the conventional Defender
/// column names when the result has them (see [`EntityColumns::resolved`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EntityColumns {
    pub time: Option<String>,
    pub device_id: Option<String>,
    pub device_name: Option<String>,
    pub process_name: Option<String>,
    pub process_path: Option<String>,
    pub command_line: Option<String>,
    pub account: Option<String>,
    pub remote_ip: Option<String>,
    pub remote_url: Option<String>,
    /// The address of a matched Tor relay; alerts with one carry the relay's details.
    pub relay_address: Option<String>,
    pub relay_nickname: Option<String>,
    pub relay_fingerprint: Option<String>,
    pub relay_country: Option<String>,
}

impl EntityColumns {
    /// Fills unset columns from `other` (a companion file's mapping is applied over the document's).
    pub fn overlay(&mut self, other: &EntityColumns) {
        macro_rules! take {
            ($($field:ident),*) => {$(
                if other.$field.is_some() {
                    self.$field = other.$field.clone();
                }
            )*};
        }
        take!(
            time,
            device_id,
            device_name,
            process_name,
            process_path,
            command_line,
            account,
            remote_ip,
            remote_url,
            relay_address,
            relay_nickname,
            relay_fingerprint,
            relay_country
        );
    }

    /// The mapping with conventional columns filled in where the result has them: `Timestamp` /
    /// `TimeGenerated`, `DeviceId`, `DeviceName`, `InitiatingProcessFileName` / `FileName`, ...
    pub fn resolved(&self, result_columns: &[&str]) -> EntityColumns {
        let pick = |explicit: &Option<String>, conventional: &[&str]| {
            explicit.clone().or_else(|| {
                conventional
                    .iter()
                    .find(|c| result_columns.contains(c))
                    .map(|c| c.to_string())
            })
        };
        EntityColumns {
            time: pick(&self.time, &["Timestamp", "TimeGenerated"]),
            device_id: pick(&self.device_id, &["DeviceId"]),
            device_name: pick(&self.device_name, &["DeviceName"]),
            process_name: pick(&self.process_name, &["InitiatingProcessFileName", "FileName"]),
            process_path: pick(&self.process_path, &["InitiatingProcessFolderPath", "FolderPath"]),
            command_line: pick(
                &self.command_line,
                &["InitiatingProcessCommandLine", "ProcessCommandLine"],
            ),
            account: pick(&self.account, &["InitiatingProcessAccountName", "AccountName"]),
            remote_ip: pick(&self.remote_ip, &["RemoteIP"]),
            remote_url: pick(&self.remote_url, &["RemoteUrl"]),
            relay_address: self.relay_address.clone(),
            relay_nickname: self.relay_nickname.clone(),
            relay_fingerprint: self.relay_fingerprint.clone(),
            relay_country: self.relay_country.clone(),
        }
    }

    /// Every column named explicitly, for validation against a query's result.
    pub fn explicit_columns(&self) -> Vec<&str> {
        [
            &self.time,
            &self.device_id,
            &self.device_name,
            &self.process_name,
            &self.process_path,
            &self.command_line,
            &self.account,
            &self.remote_ip,
            &self.remote_url,
            &self.relay_address,
            &self.relay_nickname,
            &self.relay_fingerprint,
            &self.relay_country,
        ]
        .into_iter()
        .filter_map(|c| c.as_deref())
        .collect()
    }
}

/// An embedded test: input rows per table, the `now` they are judged at, and the rows the rule must
/// return (each expected row is a partial row: the listed columns must equal; every result row must be
/// expected, and each expected row must match a different result row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TestCase {
    pub name: String,
    /// RFC 3339; what `now()` and `ago()` mean for this test.
    pub now: String,
    /// Rows per table, as flat column → value objects.
    #[serde(default)]
    pub input: BTreeMap<String, Vec<serde_json::Map<String, serde_json::Value>>>,
    /// Content served for `externaldata` URLs (the file's text).
    #[serde(default)]
    pub externaldata: BTreeMap<String, String>,
    /// The Tor relay history `tor_relay_at` / `tor_relay_info` answer from; without it they refuse (the
    /// store is empty).
    #[serde(default)]
    pub relays: Vec<RelaySnapshot>,
    /// The rows the rule must return; empty for a near-miss that must not match.
    #[serde(default)]
    pub expect: Vec<serde_json::Map<String, serde_json::Value>>,
}

/// One list of a test's relay history: the addresses that were Tor relays at `at`. It is imported like
/// a plain relay list (`*.tor-nodes.lst`) dated `at`, so it vouches for its addresses until the next
/// list, at most a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelaySnapshot {
    /// A datetime, like the test's `now`.
    pub at: String,
    pub addresses: Vec<IpAddr>,
}

/// A detection rule, whatever document it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// The Sentinel `id` when there is one, else a slug of the name.
    pub id: String,
    pub name: String,
    pub description: String,
    pub severity: Severity,
    /// Sentinel `kind` (`Scheduled`, `NRT`); `None` for hunting queries and documents.
    pub kind: Option<String>,
    pub version: Option<String>,
    pub tactics: Vec<String>,
    /// MITRE ATT&CK technique ids (`T1090.003`).
    pub techniques: Vec<String>,
    pub tags: Vec<String>,
    /// Tables the rule's data connectors declare (`requiredDataConnectors[].dataTypes`).
    pub declared_tables: Vec<String>,
    /// How often Sentinel would run it, in nanoseconds.
    pub query_frequency: Option<i64>,
    /// How far back it looks, in nanoseconds; bounds the data a hunt gives it.
    pub query_period: Option<i64>,
    pub trigger: Option<Trigger>,
    /// Sentinel `suppressionDuration` when `suppressionEnabled` is true: after a run that alerts, the
    /// rule raises no alert for this long, in nanoseconds (`torhunt watch`).
    pub suppression: Option<i64>,
    /// Sentinel `eventGroupingSettings.aggregationKind`.
    pub event_grouping: Option<EventGrouping>,
    /// torhunt `alertKey`: the result columns that identify an alert (`torhunt watch` writes an alert
    /// once per rule and key); empty: every column of the row.
    pub alert_key: Vec<String>,
    pub variants: Vec<Variant>,
    pub false_positives: Vec<String>,
    pub recommended_actions: Vec<String>,
    pub resources: Vec<String>,
    /// Alert title with `{{Column}}` placeholders; the rule name when unset.
    pub alert_title: Option<String>,
    pub entities: EntityColumns,
    pub tests: Vec<TestCase>,
    /// The files that defined the rule: its document, then any companion.
    pub files: Vec<PathBuf>,
}

impl Rule {
    /// The variant to run: the first whose name contains `wanted` (case-insensitive), else the first.
    pub fn variant(&self, wanted: Option<&str>) -> &Variant {
        wanted
            .and_then(|wanted| {
                let wanted = wanted.to_ascii_lowercase();
                self.variants.iter().find(|v| {
                    v.name
                        .as_deref()
                        .is_some_and(|name| name.to_ascii_lowercase().contains(&wanted))
                })
            })
            .unwrap_or(&self.variants[0])
    }

    /// Whether `key` names this rule: its id, its name, or the slug of its name (case-insensitive).
    pub fn is_named(&self, key: &str) -> bool {
        self.id.eq_ignore_ascii_case(key)
            || self.name.eq_ignore_ascii_case(key)
            || slug(&self.name) == slug(key)
    }
}

/// A lower-case, hyphen-separated id from a name: "TOR Connection Established" → `tor-connection-established`,
/// "DetectTorRelayConnectivity" → `detect-tor-relay-connectivity`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            let boundary = previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
                && c.is_ascii_uppercase();
            if boundary || (previous.is_none() && !out.is_empty()) {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            previous = Some(c);
        } else {
            previous = None;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_split_words_and_camel_case() {
        assert_eq!(slug("TOR Connection Established"), "tor-connection-established");
        assert_eq!(
            slug("DetectTorRelayConnectivity"),
            "detect-tor-relay-connectivity"
        );
        assert_eq!(slug("  .onion / tor2web domains "), "onion-tor2web-domains");
    }

    #[test]
    fn severities_order_and_parse_in_any_case() {
        assert!(Severity::High > Severity::Medium && Severity::Low > Severity::Informational);
        assert_eq!("medium".parse::<Severity>(), Ok(Severity::Medium));
        assert!("urgent".parse::<Severity>().is_err());
    }

    #[test]
    fn triggers_compare_the_row_count() {
        let gt0 = Trigger {
            operator: "gt".parse().unwrap(),
            threshold: 0,
        };
        assert!(gt0.fires(1) && !gt0.fires(0));
        let eq2 = Trigger {
            operator: TriggerOperator::Equal,
            threshold: 2,
        };
        assert!(eq2.fires(2) && !eq2.fires(3));
    }

    #[test]
    fn conventional_entity_columns_fill_unset_ones() {
        let explicit = EntityColumns {
            device_name: Some("Host".into()),
            ..EntityColumns::default()
        };
        let resolved = explicit.resolved(&["TimeGenerated", "DeviceId", "DeviceName", "FileName"]);
        assert_eq!(resolved.time.as_deref(), Some("TimeGenerated"));
        assert_eq!(resolved.device_name.as_deref(), Some("Host"));
        assert_eq!(resolved.process_name.as_deref(), Some("FileName"));
        assert_eq!(resolved.remote_ip, None);
    }
}
