//! Running rules over an engine's tables.
//!
//! Time: the engine's `now` is the hunt's `--now`, so a rule's own `ago()` counts back from it. On top
//! of that each rule sees only rows with `now - window <= Timestamp <= now`, where the window is
//! `--lookback` when given, else the rule's `queryPeriod`, else [`DEFAULT_LOOKBACK`]; tables without a
//! `Timestamp` column are bounded by `TimeGenerated` (Sentinel's tables), tables with neither are not. A rule that cannot run here (a table missing from the data, an
//! intel function without a relay store, `geo_info_from_ip_address` without `--geoip`, an
//! `externaldata` URL with no local copy) is skipped with
//! the reason; one that fails while running is reported with its diagnostics.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray, TimestampNanosecondArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::ScalarValue;
use datafusion::error::DataFusionError;
use datafusion::execution::FunctionRegistry;
use datafusion::prelude::{ident, lit};
use kql_binder::catalog::Catalog;
use kql_planner::context::ExternalDataRequest;
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;
use kql_types::time::{NANOS_PER_DAY, format_timespan, parse_datetime};
use torhunt_engine::{Engine, QueryError, QueryResult, RegisteredTable, ResultColumn};

use crate::alert::{Alert, alerts_from_result};
use crate::needs::{RELAY_INFO_FUNCTION, query_needs};
use crate::rule::{Rule, Severity, Variant};

/// The window a rule sees when neither `--lookback` nor its `queryPeriod` says otherwise.
pub const DEFAULT_LOOKBACK: i64 = 7 * NANOS_PER_DAY;

/// The columns hunts bound by time, the first a table has: Defender's, then Sentinel's.
const TIME_COLUMNS: [&str; 2] = ["Timestamp", "TimeGenerated"];

#[derive(Debug, Clone)]
pub struct HuntOptions {
    /// The instant the hunt runs at, in nanoseconds since the Unix epoch (the engine's `now` should
    /// be the same).
    pub now: i64,
    /// Overrides every rule's window.
    pub lookback: Option<i64>,
    /// Rules below this severity are not run.
    pub min_severity: Severity,
    /// Which variant of multi-variant rules to run (matched against variant names); the first otherwise.
    pub variant: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedRule {
    pub rule_id: String,
    pub rule_name: String,
    pub reason: String,
}

/// A rule whose query failed: its text, where it came from, and what went wrong.
#[derive(Debug, Clone)]
pub struct FailedRule {
    pub rule_id: String,
    /// The file (and variant) the query came from, for messages.
    pub source_name: String,
    pub query: String,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRun {
    pub rule_id: String,
    pub rows: usize,
    pub alerts: usize,
    /// The window its data was bounded to, in nanoseconds.
    pub window: i64,
}

#[derive(Debug, Clone, Default)]
pub struct HuntReport {
    pub alerts: Vec<Alert>,
    pub ran: Vec<RuleRun>,
    pub skipped: Vec<SkippedRule>,
    pub failed: Vec<FailedRule>,
}

/// Runs rules on an engine, each over its tables bounded to the rule's window.
pub struct Runner<'e> {
    engine: &'e Engine,
}

impl<'e> Runner<'e> {
    pub fn new(engine: &'e Engine) -> Runner<'e> {
        Runner { engine }
    }

    /// Why a variant cannot run on this engine, if it cannot.
    pub async fn missing(&self, variant: &Variant) -> Option<String> {
        let needs = match query_needs(&variant.query) {
            Ok(needs) => needs,
            // The query's own diagnostics are reported when it runs.
            Err(_) => return None,
        };
        // A rule runs when the data has any of its tables (the others are empty); one with nothing
        // to read is skipped.
        if !needs.tables.is_empty() && !needs.tables.iter().any(|t| self.engine.has_telemetry(t)) {
            let tables: Vec<&str> = needs.tables.iter().map(String::as_str).collect();
            return Some(format!(
                "needs table(s) {} that the data does not have",
                tables.join(", ")
            ));
        }
        for function in &needs.intel_functions {
            if let Err(reason) = self.intel_function_ready(function).await {
                return Some(format!("needs `{function}`: {reason}"));
            }
        }
        for function in &needs.configured_functions {
            if self.engine.function(function).is_none() {
                return Some(format!(
                    "needs `{function}`, which answers from a location database: pass --geoip FILE.mmdb"
                ));
            }
        }
        for url in &needs.external_urls {
            let probe = ExternalDataRequest {
                columns: vec![ResultColumn::new("line", KustoType::String)],
                uris: vec![url.clone()],
                options: vec![("format".to_string(), "txt".to_string())],
            };
            if let Err(error) = self.engine.external_data().load(&probe) {
                return Some(format!("its externaldata is not available: {error}"));
            }
        }
        None
    }

    /// Runs a variant over rows with `now - window <= Timestamp <= now`.
    /// The rule queries a clone of the engine whose tables are bounded views: the engine itself never
    /// changes, so a rule that fails, panics or is cancelled leaves nothing to restore.
    pub async fn run(&self, variant: &Variant, now: i64, window: i64) -> Result<QueryResult, QueryError> {
        let start = now.saturating_sub(window);
        let mut bounded = self.engine.clone();
        for (name, table) in self.engine.tables() {
            let table = bounded_table(self.engine, table, start, now)
                .map_err(|error| execution_error(error, &variant.query))?;
            bounded.register_table(name, table);
        }
        bounded.query(&variant.query).await
    }

    /// Whether an intel function can answer here: it is registered (the session has an intel store)
    /// and answers a probe (it refuses when the store is empty, rather than say "not a relay").
    async fn intel_function_ready(&self, name: &str) -> Result<(), String> {
        if self.engine.session().udf(name).is_err() {
            return Err(
                "no Tor relay intel store is loaded; fill one with `torhunt intel update` or \
                        `torhunt intel import`"
                    .to_string(),
            );
        }
        let probe = [("0.0.0.0".to_string(), 0)];
        self.call_intel_function(name, &probe)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Calls an intel function `name(ip, time)` on address/time pairs; the result columns hold one
    /// value per pair, in order.
    async fn call_intel_function(
        &self,
        name: &str,
        pairs: &[(String, i64)],
    ) -> Result<Vec<ArrayRef>, DataFusionError> {
        let function = self.engine.session().udf(name)?;
        let addresses: ArrayRef = Arc::new(
            pairs
                .iter()
                .map(|(ip, _)| Some(ip.as_str()))
                .collect::<StringArray>(),
        );
        let times: ArrayRef = Arc::new(TimestampNanosecondArray::from_iter_values(
            pairs.iter().map(|p| p.1),
        ));
        let batch = RecordBatch::try_from_iter([("ip", addresses), ("time", times)])?;
        let frame = self.engine.session().read_batch(batch)?.select(vec![
            function.call(vec![ident("ip"), ident("time")]).alias("value"),
        ])?;
        Ok(frame
            .collect()
            .await?
            .iter()
            .map(|batch| Arc::clone(batch.column(0)))
            .collect())
    }

    /// Fills the relay details of alerts that name a relay through `tor_relay_info` when it can answer
    /// (a non-empty relay store is loaded); otherwise leaves what the rows gave.
    pub async fn enrich_relays(&self, alerts: &mut [Alert]) -> Result<(), DataFusionError> {
        let targets: Vec<(usize, String, i64)> = alerts
            .iter()
            .enumerate()
            .filter_map(|(index, alert)| {
                let time = parse_datetime(alert.time.as_deref()?)?;
                Some((index, alert.relay.as_ref()?.address.clone(), time))
            })
            .collect();
        if targets.is_empty() || self.intel_function_ready(RELAY_INFO_FUNCTION).await.is_err() {
            return Ok(());
        }
        let pairs: Vec<(String, i64)> = targets.iter().map(|(_, ip, time)| (ip.clone(), *time)).collect();
        let columns = self.call_intel_function(RELAY_INFO_FUNCTION, &pairs).await?;
        let values = columns.iter().flat_map(|column| {
            let text = column.as_string_opt::<i32>().cloned();
            (0..column.len()).map(move |row| {
                text.as_ref()
                    .filter(|t| !t.is_null(row))
                    .map(|t| t.value(row).to_string())
            })
        });
        for ((index, _, _), info) in targets.iter().zip(values) {
            let (Some(info), Some(relay)) = (info, alerts[*index].relay.as_mut()) else {
                continue;
            };
            let Ok(bag) = serde_json::from_str::<serde_json::Value>(&info) else {
                continue;
            };
            let text = |key: &str| bag.get(key).and_then(crate::alert::value_text);
            relay.fingerprint = text("fingerprint").or(relay.fingerprint.take());
            relay.nickname = text("nickname").or(relay.nickname.take());
            relay.country = text("country").or(relay.country.take());
            relay.first_seen = text("first_seen");
            relay.last_seen = text("last_seen");
            relay.flags = bag
                .get("flags")
                .and_then(|f| f.as_array())
                .map(|flags| {
                    flags
                        .iter()
                        .filter_map(|f| f.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
        }
        Ok(())
    }
}

/// The window a rule's data is bounded to.
pub fn rule_window(rule: &Rule, lookback: Option<i64>) -> i64 {
    lookback.or(rule.query_period).unwrap_or(DEFAULT_LOOKBACK)
}

/// Runs every rule; `progress` is called before each one.
pub async fn hunt(
    engine: &Engine,
    rules: &[Rule],
    options: &HuntOptions,
    progress: &mut dyn FnMut(&Rule),
) -> HuntReport {
    let runner = Runner::new(engine);
    let mut report = HuntReport::default();
    for rule in rules {
        progress(rule);
        let skip = |reason: String| SkippedRule {
            rule_id: rule.id.clone(),
            rule_name: rule.name.clone(),
            reason,
        };
        if rule.severity < options.min_severity {
            let reason = format!(
                "severity {} is below --min-severity {}",
                rule.severity, options.min_severity
            );
            report.skipped.push(skip(reason));
            continue;
        }
        let variant = rule.variant(options.variant.as_deref());
        if let Some(reason) = runner.missing(variant).await {
            report.skipped.push(skip(reason));
            continue;
        }
        let window = rule_window(rule, options.lookback);
        let failed = |diagnostics: Vec<Diagnostic>| FailedRule {
            rule_id: rule.id.clone(),
            source_name: source_name(variant),
            query: variant.query.clone(),
            diagnostics,
        };
        let result = match runner.run(variant, options.now, window).await {
            Ok(result) => result,
            Err(error) => {
                report.failed.push(failed(error.diagnostics));
                continue;
            }
        };
        let rows = result.row_count();
        let mut alerts = if rule.trigger.is_none_or(|t| t.fires(rows)) {
            alerts_from_result(rule, &result)
        } else {
            Vec::new()
        };
        if let Err(error) = runner.enrich_relays(&mut alerts).await {
            report
                .failed
                .push(failed(execution_error(error, &variant.query).diagnostics));
            continue;
        }
        report.ran.push(RuleRun {
            rule_id: rule.id.clone(),
            rows,
            alerts: alerts.len(),
            window,
        });
        report.alerts.extend(alerts);
    }
    report
}

/// "rules/x.md [Sentinel KQL]" — where a variant's query came from.
pub fn source_name(variant: &Variant) -> String {
    let mut name = variant.source.path.display().to_string();
    if let Some(label) = &variant.name {
        name.push_str(&format!(" [{label}]"));
    }
    name
}

/// `7.00:00:00`-style text of a window, for messages.
pub fn window_text(window: i64) -> String {
    format_timespan(window)
}

fn execution_error(error: DataFusionError, query: &str) -> QueryError {
    let whole = Span::new(0, query.trim_end().len());
    QueryError {
        diagnostics: vec![Diagnostic::new(
            DiagnosticKind::Execution,
            error.to_string(),
            whole,
        )],
    }
}

/// The table with only the rows in `[start, end]` by its time column, as a view over the original.
fn bounded_table(
    engine: &Engine,
    table: &RegisteredTable,
    start: i64,
    end: i64,
) -> Result<RegisteredTable, DataFusionError> {
    let schema = table.provider.schema();
    let Some((time_column, field)) = TIME_COLUMNS
        .iter()
        .find_map(|c| Some((*c, schema.field_with_name(c).ok()?)))
    else {
        return Ok(table.clone());
    };
    let DataType::Timestamp(_, zone) = field.data_type() else {
        return Ok(table.clone());
    };
    let at = |nanos: i64| lit(ScalarValue::TimestampNanosecond(Some(nanos), zone.clone()));
    let view = engine
        .session()
        .read_table(Arc::clone(&table.provider))?
        .filter(
            ident(time_column)
                .gt_eq(at(start))
                .and(ident(time_column).lt_eq(at(end))),
        )?
        .into_view();
    Ok(RegisteredTable {
        provider: view,
        columns: table.columns.clone(),
    })
}
