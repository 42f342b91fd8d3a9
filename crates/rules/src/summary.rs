//! The run summary of a hunt: what a saved run needs besides its alerts to be reported on later (the
//! `torhunt report` HTML): when it ran and over which time range, what data it read and what it had to
//! skip there, and every rule it considered, with its metadata, its query and what became of it.
//!
//! NDJSON output ends with this record (`"record": "hunt_summary"`), after the alert lines; JSON output
//! carries it as `run`. Alert lines have no `record` field, so readers written before it keep working
//! by ignoring lines whose `record` is set (docs/output-format.md).

use std::path::PathBuf;

use kql_types::time::format_datetime;
use serde::{Deserialize, Serialize};
use torhunt_sources::ReadReport;

use crate::hunt::{HuntOptions, HuntReport, rule_window, source_name, window_text};
use crate::rule::{Rule, Severity};

/// The value of the `record` field that marks the summary line of NDJSON output.
pub const SUMMARY_RECORD: &str = "hunt_summary";

/// The layout version of the summary record; bumped when a field changes meaning.
pub const SUMMARY_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HuntSummary {
    /// Always [`SUMMARY_RECORD`].
    pub record: String,
    pub version: u32,
    /// The hunt's `now` (ISO 8601 UTC).
    pub now: String,
    /// The widest window any rule that ran saw: `now - window .. now`; `None` when no rule ran.
    pub time_range: Option<TimeRange>,
    pub alerts: usize,
    pub data: DataRead,
    /// Every rule the hunt considered, in the order it ran them.
    pub rules: Vec<RuleSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRange {
    pub start: String,
    pub end: String,
}

/// What the hunt read: the `--data` it was given and, per table, what its scans met.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataRead {
    pub paths: Vec<String>,
    pub tables: Vec<TableRead>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRead {
    pub table: String,
    pub files: usize,
    /// Rows the readers produced, summed over every scan (each rule that reads the table scans it).
    pub rows_scanned: u64,
    /// Records skipped as malformed (each counted once per run).
    pub malformed: u64,
    /// Records the prefilter skipped unparsed (they could not match a rule's filters).
    pub skipped_unparsed: u64,
    /// Event Hub messages the prefilter skipped whole (none of their records could match), records
    /// not counted.
    #[serde(default)]
    pub messages_skipped_unparsed: u64,
    /// The files with malformed records, with the first reasons.
    pub malformed_files: Vec<MalformedFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MalformedFile {
    pub file: String,
    pub records: u64,
    /// `line 12: reason`, the first few by position.
    pub reasons: Vec<String>,
}

/// What became of one rule in the hunt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleStatus {
    Ran,
    Skipped,
    Failed,
}

/// A rule's metadata, the query the hunt ran, and its outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleSummary {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub tactics: Vec<String>,
    pub techniques: Vec<String>,
    pub description: String,
    pub recommended_actions: Vec<String>,
    pub false_positives: Vec<String>,
    /// The KQL of the variant the hunt chose.
    pub query: String,
    /// The file (and variant) the query came from.
    pub source: String,
    pub status: RuleStatus,
    /// Why it was skipped, or what failed.
    pub reason: Option<String>,
    /// The window its data was bounded to (`7.00:00:00`), for rules that ran.
    pub window: Option<String>,
    pub rows: Option<usize>,
    pub alerts: Option<usize>,
}

impl HuntSummary {
    /// The summary of `report`, a hunt of `rules` with `options` over `data`.
    pub fn new(report: &HuntReport, rules: &[Rule], options: &HuntOptions, data: DataRead) -> HuntSummary {
        let widest = report.ran.iter().map(|run| run.window).max();
        HuntSummary {
            record: SUMMARY_RECORD.to_string(),
            version: SUMMARY_VERSION,
            now: format_datetime(options.now),
            time_range: widest.map(|window| TimeRange {
                start: format_datetime(options.now.saturating_sub(window)),
                end: format_datetime(options.now),
            }),
            alerts: report.alerts.len(),
            data,
            rules: rules
                .iter()
                .map(|rule| rule_summary(rule, report, options))
                .collect(),
        }
    }
}

fn rule_summary(rule: &Rule, report: &HuntReport, options: &HuntOptions) -> RuleSummary {
    let variant = rule.variant(options.variant.as_deref());
    let ran = report.ran.iter().find(|run| run.rule_id == rule.id);
    let skipped = report.skipped.iter().find(|s| s.rule_id == rule.id);
    let failed = report.failed.iter().find(|f| f.rule_id == rule.id);
    let (status, reason) = match (skipped, failed) {
        (Some(skipped), _) => (RuleStatus::Skipped, Some(skipped.reason.clone())),
        (None, Some(failed)) => (
            RuleStatus::Failed,
            Some(
                failed
                    .diagnostics
                    .iter()
                    .map(|d| d.message.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        ),
        (None, None) => (RuleStatus::Ran, None),
    };
    RuleSummary {
        id: rule.id.clone(),
        name: rule.name.clone(),
        severity: rule.severity,
        tactics: rule.tactics.clone(),
        techniques: rule.techniques.clone(),
        description: rule.description.clone(),
        recommended_actions: rule.recommended_actions.clone(),
        false_positives: rule.false_positives.clone(),
        query: variant.query.clone(),
        source: source_name(variant),
        status,
        reason,
        window: ran.map(|_| window_text(rule_window(rule, options.lookback))),
        rows: ran.map(|run| run.rows),
        alerts: ran.map(|run| run.alerts),
    }
}

impl DataRead {
    /// What the readers of a data set met, per table, for the `--data` paths given.
    pub fn new(paths: &[PathBuf], report: &ReadReport) -> DataRead {
        let mut tables: Vec<TableRead> = Vec::new();
        for (table, path, file) in report.files() {
            if tables.last().is_none_or(|t| t.table != table) {
                tables.push(TableRead {
                    table: table.clone(),
                    ..TableRead::default()
                });
            }
            let Some(entry) = tables.last_mut() else {
                continue;
            };
            entry.files += 1;
            entry.rows_scanned += file.rows;
            entry.malformed += file.skipped;
            entry.skipped_unparsed += file.skipped_unparsed;
            entry.messages_skipped_unparsed += file.messages_skipped_unparsed;
            if file.skipped > 0 {
                entry.malformed_files.push(MalformedFile {
                    file: path.display().to_string(),
                    records: file.skipped,
                    reasons: file
                        .reasons
                        .iter()
                        .map(|r| format!("{}: {}", r.position, r.reason))
                        .collect(),
                });
            }
        }
        DataRead {
            paths: paths.iter().map(|p| p.display().to_string()).collect(),
            tables,
        }
    }
}
