//! What a watcher tells its operator: one status line per cycle, and where each rule stands
//! (`torhunt watch --status`).

use kql_types::time::{format_datetime, format_timespan};
use torhunt_rules::Rule;

use crate::cycle::CycleReport;
use crate::evaluation::evaluation;
use crate::schedule::Schedule;
use crate::state::State;

impl CycleReport {
    /// `watch 2024-05-01T03:00:00Z: 4 new files (12345 bytes), 120 records; 3 rules ran (5 runs),
    /// 1 blocked; 2 alerts (1 repeat); newest record 2024-05-01T02:59:10Z, 0:00:50 behind`.
    pub fn status_line(&self) -> String {
        let ran = self.rules.iter().filter(|r| r.blocked.is_none()).count();
        let runs: usize = self.rules.iter().map(|r| r.runs.len()).sum();
        let blocked = self.rules.len() - ran;
        let mut line = format!(
            "watch {}: {} new file(s) ({} bytes), {} record(s); {ran} rule(s) ran ({runs} run(s))",
            format_datetime(self.now),
            self.new_files,
            self.new_bytes,
            self.records,
        );
        if blocked > 0 {
            line.push_str(&format!(", {blocked} blocked"));
        }
        line.push_str(&format!("; {} alert(s)", self.alerts.len()));
        if self.repeats > 0 {
            line.push_str(&format!(" ({} already written)", self.repeats));
        }
        if self.suppressed > 0 {
            line.push_str(&format!(", {} suppressed", self.suppressed));
        }
        match self.newest_record {
            Some(newest) => line.push_str(&format!(
                "; newest record {}, {} behind",
                format_datetime(newest),
                format_timespan(self.now.saturating_sub(newest).max(0))
            )),
            None => line.push_str("; no new records"),
        }
        if self.webhook.attempts > 0 || self.webhook.pending > 0 {
            line.push_str(&format!(
                "; webhook: {} delivered, {} pending, {} dead-lettered",
                self.webhook.delivered, self.webhook.pending, self.webhook.dead_lettered
            ));
        }
        line
    }
}

/// Where each rule stands, and the state's totals, as lines of text.
pub fn status_lines(state: &State, rules: &[Rule], variant: Option<&str>) -> Vec<String> {
    let mut lines = vec![format!(
        "{} cycle(s), last at {}; {} file(s) tracked; {} segment(s) of new records pending; {} alert id(s) remembered",
        state.cycles,
        state
            .last_cycle
            .map_or_else(|| "never".to_string(), format_datetime),
        state.files.len(),
        state.segments.len(),
        state.written.len(),
    )];
    if let Some(output) = &state.output {
        lines.push(format!(
            "output {}: {} bytes committed",
            output.path.display(),
            output.committed
        ));
    }
    if !state.outbox.is_empty() || state.dead_letters > 0 {
        lines.push(format!(
            "webhook: {} alert(s) waiting, {} dead-lettered",
            state.outbox.len(),
            state.dead_letters
        ));
    }
    for rule in rules {
        let schedule = Schedule::of(rule);
        let mode = evaluation(rule.variant(variant), rule.trigger.as_ref());
        let rule_state = state.rules.get(&rule.id).cloned().unwrap_or_default();
        let pending = state
            .segments
            .iter()
            .filter(|s| s.seq >= rule_state.next_segment)
            .count();
        let mut line = format!(
            "{}: every {}, looking back {}, by {}; last run {}; {} alert(s) written; {} segment(s) pending",
            rule.id,
            format_timespan(schedule.frequency),
            format_timespan(schedule.period),
            mode.name(),
            rule_state
                .last_run
                .map_or_else(|| "never".to_string(), format_datetime),
            rule_state.alerts_written,
            pending,
        );
        if let Some(suppressed) = rule_state.suppressed {
            line.push_str(&format!(
                "; suppressed after {} until {}",
                format_datetime(suppressed.from),
                format_datetime(suppressed.until)
            ));
        }
        if let Some(reason) = &rule_state.blocked {
            line.push_str(&format!("; blocked: {reason}"));
        }
        lines.push(line);
    }
    lines
}
