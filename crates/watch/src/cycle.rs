//! One watch cycle: find what is new, run every rule that is due over what it has not evaluated, write
//! the alerts not written before, save the state, then call the webhook.
//!
//! Order is what makes restarts safe. The NDJSON output is appended and fsynced, then the state that
//! counts it (its length, the alert ids, the files read, each rule's progress) replaces the old one
//! atomically. A process killed anywhere before that rename restarts from the old state: it cuts the
//! output back to the length that state counts and does the cycle's work again, finding the same
//! alerts with the same ids.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use kql_types::time::{NANOS_PER_DAY, NANOS_PER_SECOND};
use serde_json::Value;
use torhunt_engine::Engine;
use torhunt_rules::hunt::FailedRule;
use torhunt_rules::needs::query_needs;
use torhunt_rules::testing::register_tables;
use torhunt_rules::{Alert, HuntOptions, Rule, Severity, hunt};
use torhunt_sources::{DataSet, ReadOptions, ReadReport, Stores};
use torhunt_storage::StorageUrl;

use crate::error::WatchError;
use crate::evaluation::{Evaluation, evaluation};
use crate::files::scan;
use crate::identity::alert_id;
use crate::schedule::Schedule;
use crate::sinks::ndjson;
use crate::sinks::webhook::{DeliveryReport, Webhook};
use crate::staging::stage;
use crate::state::{Delivery, OutputMark, RuleState, Segment, State, Suppression};

/// How long a written alert's id is remembered: a match found again later (records this late) is
/// written again.
pub const REMEMBER_ALERTS: i64 = 30 * NANOS_PER_DAY;

/// The most windows one rule re-runs in a cycle for late records; older ones are reported, not run.
pub const MAX_WINDOW_RUNS: usize = 48;

/// The time columns windows bound, the first a table has (as in `torhunt hunt`).
const TIME_COLUMNS: [&str; 2] = ["Timestamp", "TimeGenerated"];

/// What a watcher watches and where it writes.
pub struct Watch {
    /// Local files and folders, and storage URLs (containers or prefixes, as `torhunt hunt` reads
    /// them, opened through `stores`).
    pub data: Vec<PathBuf>,
    pub state_dir: PathBuf,
    pub rules: Vec<Rule>,
    /// An engine with intel, externaldata and extra functions set up and no tables: each evaluation
    /// clones it and registers the telemetry it reads.
    pub engine: Engine,
    pub read: ReadOptions,
    pub stores: Stores,
    pub min_severity: Severity,
    pub variant: Option<String>,
    /// The NDJSON alert file.
    pub output: Option<PathBuf>,
    pub webhook: Option<Webhook>,
}

/// How one rule fared in a cycle.
#[derive(Debug, Clone)]
pub struct RuleOutcome {
    pub rule_id: String,
    pub evaluation: Evaluation,
    /// The ticks it ran at.
    pub runs: Vec<i64>,
    pub alerts: usize,
    /// Why it did not run; its records stay pending.
    pub blocked: Option<String>,
    /// Windows with late records that were past [`MAX_WINDOW_RUNS`] and not re-run.
    pub windows_not_rerun: usize,
}

/// What a cycle did, for the status line and the caller's messages.
#[derive(Debug, Default)]
pub struct CycleReport {
    pub now: i64,
    pub new_files: usize,
    pub new_bytes: u64,
    /// Records (lines; files read whole count one) the rules that ran had pending.
    pub records: u64,
    pub newest_record: Option<i64>,
    pub rules: Vec<RuleOutcome>,
    /// The alerts written this cycle, as written (with `alert_id`).
    pub alerts: Vec<Value>,
    /// Matches already written before (overlapping windows, re-runs): not written again.
    pub repeats: usize,
    /// Matches dropped by a rule's suppression.
    pub suppressed: usize,
    pub failed: Vec<FailedRule>,
    /// Bytes of the output a cycle that did not finish had written, cut off at start.
    pub output_cut: u64,
    /// Files that shrank, and blobs rewritten, read again from their start.
    pub replaced: Vec<PathBuf>,
    /// New records that could no longer be read, each with the reason.
    pub lost: Vec<String>,
    /// What the readers skipped (malformed records), per data read; file names are the staged
    /// copies' (see [`Watch::original_path`]).
    pub read_reports: Vec<ReadReport>,
    pub webhook: DeliveryReport,
}

/// The new records of the rules whose progress starts at one segment, staged and opened.
struct Pending {
    engine: Engine,
    records: u64,
    /// Pieces that could no longer be read.
    lost: Vec<String>,
    data: DataSet,
}

impl Watch {
    /// Runs one cycle at `now` and saves the state.
    pub async fn cycle(&self, state: &mut State, now: i64) -> Result<CycleReport, WatchError> {
        let mut report = CycleReport {
            now,
            ..CycleReport::default()
        };
        let mut output = match &self.output {
            Some(path) => {
                let (file, cut) = ndjson::open(path, state.output.as_ref())?;
                report.output_cut = cut;
                Some((file, path))
            }
            None => None,
        };
        let found = scan(&self.data, &self.stores, &state.files)?;
        report.new_files = found
            .pieces
            .iter()
            .filter(|p| !state.files.contains_key(&p.path))
            .count();
        report.new_bytes = found.pieces.iter().map(|p| p.end - p.start).sum();
        report.replaced = found.replaced;
        if !found.pieces.is_empty() {
            state.segments.push(Segment {
                seq: state.next_segment,
                found_at: now,
                pieces: found.pieces,
            });
            state.next_segment += 1;
        }
        state.files = found.marks;

        let mut evaluator = Evaluator {
            watch: self,
            data_roots: found
                .roots_with_files
                .iter()
                .map(|&root| self.data[root].clone())
                .collect(),
            pending: BTreeMap::new(),
            all_data: None,
        };
        let mut candidates: Vec<(String, Alert)> = Vec::new();
        for rule in self.rules.iter().filter(|r| r.severity >= self.min_severity) {
            let schedule = Schedule::of(rule);
            let rule_state = state.rules.entry(rule.id.clone()).or_default();
            if !schedule.is_due(rule_state.last_run, now) {
                continue;
            }
            let outcome = evaluator
                .run_rule(rule, schedule, now, state, &mut report, &mut candidates)
                .await?;
            report.rules.push(outcome);
        }
        report.records = evaluator.pending.values().map(|p| p.records).sum();
        report.lost = evaluator
            .pending
            .values_mut()
            .flat_map(|p| p.lost.drain(..))
            .collect();
        report.read_reports = evaluator.read_reports();
        drop(evaluator);

        let mut lines = Vec::new();
        let mut new_ids = BTreeSet::new();
        for (id, alert) in candidates {
            if state.written.contains_key(&id) || !new_ids.insert(id.clone()) {
                report.repeats += 1;
                continue;
            }
            let rule_state = state.rules.entry(alert.rule_id.clone()).or_default();
            rule_state.alerts_written += 1;
            rule_state.last_alert = Some(now);
            let line = alert_line(&id, &alert);
            if self.webhook.is_some() {
                state.outbox.push(Delivery {
                    alert_id: id.clone(),
                    body: line.to_string(),
                    attempts: 0,
                });
            }
            lines.push(line.to_string());
            report.alerts.push(line);
        }
        if let Some((file, path)) = &mut output {
            let committed = ndjson::append(file, path, &lines)?;
            state.output = Some(OutputMark {
                path: path.to_path_buf(),
                committed,
            });
        }
        for id in new_ids {
            state.written.insert(id, now);
        }
        state
            .written
            .retain(|_, at| *at >= now.saturating_sub(REMEMBER_ALERTS));
        self.forget_evaluated_segments(state);
        state.cycles += 1;
        state.last_cycle = Some(now);
        state.save(&self.state_dir)?;
        let _ = std::fs::remove_dir_all(self.staging_dir());

        if let Some(webhook) = &self.webhook {
            report.webhook = webhook.deliver(&mut state.outbox).await;
            if report.webhook.dead_lettered > 0 {
                webhook.write_dead_letters(&report.webhook.dead)?;
                state.dead_letters += report.webhook.dead_lettered as u64;
            }
            if report.webhook.attempts > 0 {
                state.save(&self.state_dir)?;
            }
        }
        Ok(report)
    }

    /// Drops the segments every current rule has evaluated (rules no longer loaded do not hold
    /// them back).
    fn forget_evaluated_segments(&self, state: &mut State) {
        let oldest_needed = self
            .rules
            .iter()
            .filter(|r| r.severity >= self.min_severity)
            .map(|r| state.rules.get(&r.id).map_or(0, |s| s.next_segment))
            .min()
            .unwrap_or(state.next_segment);
        state.segments.retain(|s| s.seq >= oldest_needed);
    }

    fn staging_dir(&self) -> PathBuf {
        self.state_dir.join("staging")
    }

    /// The watched file (or blob URL) a path under the staging folder is a copy of (paths
    /// elsewhere are returned as they are).
    pub fn original_path(&self, path: &Path) -> PathBuf {
        let original = path.strip_prefix(self.staging_dir()).ok().and_then(|rest| {
            let mut parts = rest.components().skip(1);
            let root: usize = parts.next()?.as_os_str().to_str()?.parse().ok()?;
            let root = self.data.get(root)?;
            if let Some(url) = StorageUrl::parse(&root.to_string_lossy()) {
                // Staged as `<container>/<key>`.
                let key: Vec<String> = parts
                    .skip(1)
                    .map(|part| part.as_os_str().to_string_lossy().into_owned())
                    .collect();
                return Some(PathBuf::from(url.ok()?.display_key(&key.join("/"))));
            }
            let under: PathBuf = parts.collect();
            Some(if root.is_dir() {
                root.join(under)
            } else {
                root.clone()
            })
        });
        original.unwrap_or_else(|| path.to_path_buf())
    }
}

/// An alert as its NDJSON line: `alert_id` first, then the alert's fields.
fn alert_line(id: &str, alert: &Alert) -> Value {
    let mut line = serde_json::Map::new();
    line.insert("alert_id".to_string(), Value::String(id.to_string()));
    if let Ok(Value::Object(fields)) = serde_json::to_value(alert) {
        line.extend(fields);
    }
    Value::Object(line)
}

/// Runs rules for one cycle, opening each set of new records and the whole data once.
struct Evaluator<'w> {
    watch: &'w Watch,
    /// The roots with files (or blobs): an empty folder or container has no telemetry to open yet.
    data_roots: Vec<PathBuf>,
    /// By the segment the rules' progress starts at.
    pending: BTreeMap<u64, Pending>,
    all_data: Option<(Engine, DataSet)>,
}

impl Evaluator<'_> {
    async fn run_rule(
        &mut self,
        rule: &Rule,
        schedule: Schedule,
        now: i64,
        state: &mut State,
        report: &mut CycleReport,
        candidates: &mut Vec<(String, Alert)>,
    ) -> Result<RuleOutcome, WatchError> {
        let variant = rule.variant(self.watch.variant.as_deref());
        let mode = evaluation(variant, rule.trigger.as_ref());
        let tick = schedule.tick_at_or_before(now);
        let from = state.rules.get(&rule.id).map_or(0, |s| s.next_segment);
        let tables: Vec<String> = query_needs(&variant.query)
            .map(|needs| needs.tables.into_iter().collect())
            .unwrap_or_default();
        let pending = self.pending(from, state)?;
        let record_ticks = match pending {
            Some(pending) => new_record_ticks(&pending.engine, &tables, schedule, report).await,
            None => RecordTicks::default(),
        };
        let mut outcome = RuleOutcome {
            rule_id: rule.id.clone(),
            evaluation: mode,
            runs: Vec::new(),
            alerts: 0,
            blocked: None,
            windows_not_rerun: 0,
        };
        let (engine, runs, window) = match mode {
            Evaluation::NewRecords => {
                let mut runs: Vec<i64> = record_ticks.ticks.iter().copied().collect();
                if record_ticks.untimed {
                    runs.push(tick);
                }
                match self.pending.get(&from) {
                    Some(pending) => (pending.engine.clone(), runs, schedule.frequency),
                    None => (self.watch.engine.clone(), Vec::new(), schedule.frequency),
                }
            }
            Evaluation::Windows => {
                // Every window up to this run that new records fall into (late records, and ticks
                // missed while the watcher was down), and this run's own.
                let mut runs: BTreeSet<i64> = BTreeSet::from([tick]);
                for tick_after in &record_ticks.ticks {
                    let bin = tick_after - schedule.frequency;
                    runs.extend(schedule.ticks_holding(bin, *tick_after).filter(|t| *t <= tick));
                }
                let mut runs: Vec<i64> = runs.into_iter().collect();
                if runs.len() > MAX_WINDOW_RUNS {
                    outcome.windows_not_rerun = runs.len() - MAX_WINDOW_RUNS;
                    runs.drain(..runs.len() - MAX_WINDOW_RUNS);
                }
                (self.all_data()?.clone(), runs, schedule.period)
            }
        };
        let mut alerts = Vec::new();
        let mut suppressed = state.rules.get(&rule.id).and_then(|s| s.suppressed);
        for at in runs {
            let options = HuntOptions {
                now: at,
                lookback: Some(window),
                min_severity: Severity::Informational,
                variant: self.watch.variant.clone(),
            };
            let mut hunted = hunt(&engine.at(at), std::slice::from_ref(rule), &options, &mut |_| {}).await;
            if let Some(failed) = hunted.failed.pop() {
                outcome.blocked = Some(
                    failed
                        .diagnostics
                        .iter()
                        .map(|d| d.message.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                );
                report.failed.push(failed);
                break;
            }
            if let Some(skipped) = hunted.skipped.pop() {
                // Data without the rule's tables has nothing new for it; anything else (no relay
                // intel, an externaldata URL without a copy) keeps its records pending.
                if engine_lacks_tables(&engine, &tables) {
                    continue;
                }
                outcome.blocked = Some(skipped.reason);
                break;
            }
            outcome.runs.push(at);
            let mut kept = 0;
            for alert in hunted.alerts {
                if suppressed.is_some_and(|s| s.holds(at)) {
                    report.suppressed += 1;
                    continue;
                }
                let id = alert_id(rule, &alert);
                if !state.written.contains_key(&id) {
                    kept += 1;
                }
                alerts.push((id, alert));
            }
            if kept > 0
                && let Some(duration) = rule.suppression
                && suppressed.is_none_or(|s| at >= s.until)
            {
                suppressed = Some(Suppression {
                    from: at,
                    until: at.saturating_add(duration),
                });
            }
        }
        let rule_state: &mut RuleState = state.rules.entry(rule.id.clone()).or_default();
        rule_state.blocked = outcome.blocked.clone();
        if outcome.blocked.is_none() {
            outcome.alerts = alerts.len();
            candidates.extend(alerts);
            rule_state.last_run = Some(rule_state.last_run.map_or(tick, |last| last.max(tick)));
            rule_state.next_segment = state.next_segment;
            rule_state.suppressed = suppressed;
        }
        Ok(outcome)
    }

    /// The new records from segment `from` on, staged and opened once per cycle; `None` when there
    /// are none.
    fn pending(&mut self, from: u64, state: &State) -> Result<Option<&Pending>, WatchError> {
        if !state.segments.iter().any(|s| s.seq >= from) {
            return Ok(None);
        }
        if !self.pending.contains_key(&from) {
            let dir = self.watch.staging_dir().join(from.to_string());
            let pieces = state
                .segments
                .iter()
                .filter(|s| s.seq >= from)
                .flat_map(|s| s.pieces.iter());
            let staged = stage(pieces, &dir, &self.watch.data, &self.watch.stores)?;
            let (engine, data) = open(self.watch, std::slice::from_ref(&dir))?;
            self.pending.insert(
                from,
                Pending {
                    engine,
                    records: staged.records,
                    lost: staged.lost,
                    data,
                },
            );
        }
        Ok(self.pending.get(&from))
    }

    /// Every watched file and blob, opened once per cycle for the rules evaluated by window.
    fn all_data(&mut self) -> Result<&Engine, WatchError> {
        let opened = match self.all_data.take() {
            Some(opened) => opened,
            None => open(self.watch, &self.data_roots)?,
        };
        Ok(&self.all_data.insert(opened).0)
    }

    fn read_reports(&self) -> Vec<ReadReport> {
        self.pending
            .values()
            .map(|p| p.data.report().clone())
            .chain(self.all_data.iter().map(|(_, data)| data.report().clone()))
            .collect()
    }
}

/// An engine over the telemetry under `paths`.
fn open(watch: &Watch, paths: &[PathBuf]) -> Result<(Engine, DataSet), WatchError> {
    let data = DataSet::discover_with(paths, &[], watch.read, &watch.stores)
        .map_err(|e| WatchError::Read(e.to_string()))?;
    let mut engine = watch.engine.clone();
    register_tables(&mut engine, &data);
    Ok((engine, data))
}

/// The ticks new records belong to, by their time column.
#[derive(Debug, Default)]
struct RecordTicks {
    ticks: BTreeSet<i64>,
    /// Some table the rule reads has no time column: its records go with the current run.
    untimed: bool,
}

/// The ticks of the new records in the rule's tables (each record's run is the tick after it).
async fn new_record_ticks(
    engine: &Engine,
    tables: &[String],
    schedule: Schedule,
    report: &mut CycleReport,
) -> RecordTicks {
    let mut found = RecordTicks::default();
    let seconds = (schedule.frequency / NANOS_PER_SECOND).max(1);
    for table in tables.iter().filter(|t| engine.has_telemetry(t)) {
        let Some((_, registered)) = engine.tables().find(|(name, _)| name == table) else {
            continue;
        };
        let Some(column) = TIME_COLUMNS
            .iter()
            .find(|c| registered.columns.iter().any(|rc| rc.name == **c))
        else {
            found.untimed = true;
            continue;
        };
        let query = format!(
            "{table} | where isnotnull({column}) | summarize newest = max({column}) by bin = bin({column}, {seconds}s)"
        );
        let Ok(result) = engine.query(&query).await else {
            // The rule's own run reads the same table and reports what is wrong with it.
            found.untimed = true;
            continue;
        };
        let position = |name: &str| result.columns.iter().position(|c| c.name == name);
        let (Some(newest_at), Some(bin_at)) = (position("newest"), position("bin")) else {
            found.untimed = true;
            continue;
        };
        for batch in &result.batches {
            let newest = nanos_column(batch.column(newest_at));
            let bins = nanos_column(batch.column(bin_at));
            for (newest, bin) in newest.into_iter().zip(bins) {
                if let Some(bin) = bin {
                    found.ticks.insert(bin + schedule.frequency);
                }
                if let Some(newest) = newest {
                    report.newest_record = Some(report.newest_record.map_or(newest, |n| n.max(newest)));
                }
            }
        }
    }
    found
}

/// A datetime column as nanoseconds.
fn nanos_column(column: &dyn Array) -> Vec<Option<i64>> {
    let Ok(as_int) = cast(column, &DataType::Int64) else {
        return Vec::new();
    };
    as_int.as_primitive::<Int64Type>().iter().collect()
}

/// Whether none of `tables` has telemetry in the engine's data.
fn engine_lacks_tables(engine: &Engine, tables: &[String]) -> bool {
    !tables.iter().any(|t| engine.has_telemetry(t))
}
