//! Reading back a hunt saved as NDJSON (`torhunt hunt --format ndjson -o run.ndjson`): its alert lines
//! and its closing run summary. A line that is neither is an error naming it: a report built from a
//! file it half understood would leave alerts out without saying so.

use std::fmt;

use serde_json::Value;

use crate::alert::Alert;
use crate::summary::{HuntSummary, SUMMARY_RECORD};

/// A saved hunt: its alerts in order, and its run summary when the file has one (files written before
/// the summary existed have none).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SavedRun {
    pub alerts: Vec<Alert>,
    pub summary: Option<HuntSummary>,
}

/// A line of a saved run that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedRunError {
    /// 1-based.
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for SavedRunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for SavedRunError {}

/// Parses NDJSON hunt output; blank lines are ignored.
pub fn read_saved_run(text: &str) -> Result<SavedRun, SavedRunError> {
    let mut run = SavedRun::default();
    for (index, line) in text.lines().enumerate() {
        let error = |reason: String| SavedRunError {
            line: index + 1,
            reason,
        };
        if line.trim().is_empty() {
            continue;
        }
        let value: Value =
            serde_json::from_str(line).map_err(|e| error(format!("not a JSON object: {e}")))?;
        match value.get("record").and_then(Value::as_str) {
            Some(SUMMARY_RECORD) => {
                if run.summary.is_some() {
                    return Err(error(
                        "a second run summary: the file holds more than one hunt".to_string(),
                    ));
                }
                let summary = serde_json::from_value(value)
                    .map_err(|e| error(format!("not a torhunt run summary: {e}")))?;
                run.summary = Some(summary);
            }
            Some(other) => {
                return Err(error(format!(
                    "a record of kind `{other}`, which this torhunt does not know"
                )));
            }
            None => {
                let alert =
                    serde_json::from_value(value).map_err(|e| error(format!("not a torhunt alert: {e}")))?;
                run.alerts.push(alert);
            }
        }
    }
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALERT: &str = r#"{"rule_id":"r","rule_name":"R","severity":"High","tactics":[],"techniques":["T1090"],"title":"t","time":"2024-05-01T00:00:00Z","device":{"id":"d","name":"ws"},"process":{"name":null,"path":null,"command_line":null,"account":null},"remote_ip":null,"remote_url":null,"relay":null,"row":{"DeviceName":"ws"}}"#;
    const SUMMARY: &str = r#"{"record":"hunt_summary","version":1,"now":"2024-05-02T00:00:00Z","time_range":null,"alerts":1,"data":{"paths":[],"tables":[]},"rules":[]}"#;

    #[test]
    fn alert_lines_and_the_summary_are_read_back() {
        let run = read_saved_run(&format!("{ALERT}\n\n{ALERT}\n{SUMMARY}\n")).unwrap();
        assert_eq!(run.alerts.len(), 2);
        assert_eq!(run.alerts[0].device.name.as_deref(), Some("ws"));
        assert_eq!(run.summary.unwrap().now, "2024-05-02T00:00:00Z");
        // Files saved before the summary existed are alerts only.
        assert_eq!(read_saved_run(ALERT).unwrap().summary, None);
    }

    #[test]
    fn a_line_that_is_neither_names_its_line_and_why() {
        let error = read_saved_run(&format!("{ALERT}\nnot json\n")).unwrap_err();
        assert_eq!(error.line, 2);
        assert!(
            error.to_string().starts_with("line 2: not a JSON object"),
            "{error}"
        );
        let error = read_saved_run(r#"{"record":"other"}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 1: a record of kind `other`, which this torhunt does not know"
        );
        let error = read_saved_run(r#"{"rule_id":"r"}"#).unwrap_err();
        assert!(
            error.reason.starts_with("not a torhunt alert: missing field"),
            "{error}"
        );
        let error = read_saved_run(&format!("{SUMMARY}\n{SUMMARY}")).unwrap_err();
        assert_eq!(error.line, 2);
    }
}
