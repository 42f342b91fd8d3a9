//! `torhunt hunt`: run every detection rule over telemetry and print the alerts. Exit 0 when there are
//! no alerts, 1 when there are, 2 on error (including a rule whose query failed).

use std::cell::Cell;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use miette::{IntoDiagnostic, WrapErr};
use torhunt_engine::output::OutputFormat;
use torhunt_rules::output::write_alerts;
use torhunt_rules::summary::DataRead;
use torhunt_rules::{
    HuntOptions, HuntReport, HuntSummary, Rule, SavedRun, Severity, hunt, load_rules, shipped_rules,
};

use crate::cmd::report::write_report;
use crate::cmd::session::{SessionArgs, open_engine, print_repeats, runtime};
use crate::diagnostics;
use crate::exit::Outcome;
use crate::note;
use crate::output::{self, OutputError, Stdout, safe};

#[derive(clap::Args)]
pub struct HuntArgs {
    #[command(flatten)]
    pub session: SessionArgs,
    /// Rule files or folders to run instead of the shipped rules. Repeatable.
    #[arg(long, value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// How far back from --now every rule looks (e.g. 7d, 12h); default: each rule's queryPeriod, else 7d.
    #[arg(long, value_name = "TIMESPAN", value_parser = parse_lookback)]
    pub lookback: Option<i64>,
    /// Run only rules of at least this severity.
    #[arg(long, value_name = "SEVERITY", default_value = "informational", value_parser = parse_severity)]
    pub min_severity: Severity,
    /// For rules with several queries (markdown documents), the variant to run, e.g. `sentinel`.
    #[arg(long, value_name = "NAME")]
    pub variant: Option<String>,
    /// Output format; `table` on a terminal, `ndjson` otherwise.
    #[arg(long, value_enum)]
    pub format: Option<HuntFormat>,
    /// Write the alerts to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the hunt's HTML report to FILE (self-contained; opens offline).
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum HuntFormat {
    Table,
    Json,
    Ndjson,
    Csv,
}

pub fn run(args: HuntArgs) -> miette::Result<Outcome> {
    let hunted = run_hunt(&args)?;
    finish(&args, &hunted)
}

/// The rules to run, and how many documents could not be loaded (reported on stderr already).
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub broken_documents: usize,
}

/// The rules under `paths`, or the shipped rules when none are given. A document that cannot be
/// loaded is reported on stderr and the others load.
pub fn rule_set(paths: &[PathBuf]) -> miette::Result<RuleSet> {
    if paths.is_empty() {
        let rules = shipped_rules()
            .into_diagnostic()
            .wrap_err("loading the shipped rules")?;
        return Ok(RuleSet {
            rules,
            broken_documents: 0,
        });
    }
    let loaded = load_rules(paths).into_diagnostic().wrap_err("loading rules")?;
    print_repeats(&loaded.repeats);
    for error in &loaded.errors {
        note!("error: rule not loaded: {}", safe(&error.to_string()));
    }
    Ok(RuleSet {
        rules: loaded.rules,
        broken_documents: loaded.errors.len(),
    })
}

/// A hunt that ran: its report, its run summary, and how many rule documents could not be loaded.
pub struct Hunted {
    pub report: HuntReport,
    pub summary: HuntSummary,
    pub broken_documents: usize,
}

/// Loads the rules, runs them, and reports failed rules on stderr; the caller prints the alerts.
pub fn run_hunt(args: &HuntArgs) -> miette::Result<Hunted> {
    let RuleSet {
        rules,
        broken_documents,
    } = rule_set(&args.rules)?;
    let now = args.session.now.unwrap_or_else(wall_clock_nanos);
    let options = HuntOptions {
        now,
        lookback: args.lookback,
        min_severity: args.min_severity,
        variant: args.variant.clone(),
    };
    let (report, data) = runtime(args.session.threads)?.block_on(async {
        let session = open_engine(&args.session).await?;
        let progress = Progress::new(rules.len());
        let mut on_rule = |rule: &Rule| progress.rule(rule);
        let report = hunt(&session.engine, &rules, &options, &mut on_rule).await;
        progress.finish();
        session.report_skipped();
        let data = DataRead::new(&args.session.data, session.read_report());
        Ok::<_, miette::Report>((report, data))
    })?;
    let summary = HuntSummary::new(&report, &rules, &options, data);
    for failed in &report.failed {
        note!("error: rule {} failed:", safe(&failed.rule_id));
        diagnostics::print(&failed.diagnostics, &failed.source_name, &failed.query);
    }
    Ok(Hunted {
        report,
        summary,
        broken_documents,
    })
}

/// Prints the alerts and tells how the hunt went.
pub fn finish(args: &HuntArgs, hunted: &Hunted) -> miette::Result<Outcome> {
    let report = &hunted.report;
    let format = match args.format {
        Some(HuntFormat::Table) => OutputFormat::Table,
        Some(HuntFormat::Json) => OutputFormat::Json,
        Some(HuntFormat::Ndjson) => OutputFormat::Ndjson,
        Some(HuntFormat::Csv) => OutputFormat::Csv,
        None if args.output.is_none() && std::io::stdout().is_terminal() => OutputFormat::Table,
        None => OutputFormat::Ndjson,
    };
    match &args.output {
        Some(path) => {
            let mut file = std::fs::File::create(path)
                .into_diagnostic()
                .wrap_err_with(|| format!("creating {}", output::path(path)))?;
            write_alerts(report, &hunted.summary, format, &mut file)
                .and_then(|()| file.flush())
                .into_diagnostic()
                .wrap_err_with(|| format!("writing the alerts to {}", output::path(path)))?;
        }
        None => {
            let mut out = Stdout::lock();
            write_alerts(report, &hunted.summary, format, &mut out).map_err(OutputError)?;
            out.finish()?;
        }
    }
    if let Some(path) = &args.report {
        let run = SavedRun {
            alerts: report.alerts.clone(),
            summary: Some(hunted.summary.clone()),
        };
        write_report(path, &run)?;
    }
    if format != OutputFormat::Table {
        for skipped in &report.skipped {
            note!(
                "skipped {} ({}): {}",
                safe(&skipped.rule_name),
                safe(&skipped.rule_id),
                safe(&skipped.reason)
            );
        }
    }
    Ok(if !report.failed.is_empty() || hunted.broken_documents > 0 {
        Outcome::Failed
    } else if report.alerts.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Found
    })
}

/// A progress bar on stderr, shown only on a terminal and only once the hunt has run for a second.
struct Progress {
    bar: ProgressBar,
    started: Instant,
    rules_started: Cell<u64>,
}

const SHOW_PROGRESS_AFTER: Duration = Duration::from_secs(1);

impl Progress {
    fn new(rules: usize) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(rules as u64), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} rules  {msg}") {
            bar.set_style(style);
        }
        Progress {
            bar,
            started: Instant::now(),
            rules_started: Cell::new(0),
        }
    }

    fn rule(&self, rule: &Rule) {
        if self.bar.is_hidden()
            && self.started.elapsed() >= SHOW_PROGRESS_AFTER
            && std::io::stderr().is_terminal()
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        self.bar.set_position(self.rules_started.get());
        self.rules_started.set(self.rules_started.get() + 1);
        self.bar.set_message(safe(&rule.name).into_owned());
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn parse_lookback(text: &str) -> Result<i64, String> {
    match kql_types::time::parse_timespan(text) {
        Some(nanos) if nanos > 0 => Ok(nanos),
        _ => Err(format!("`{text}` is not a positive timespan such as 7d or 12h")),
    }
}

pub(crate) fn parse_severity(text: &str) -> Result<Severity, String> {
    text.parse()
}

pub(crate) fn wall_clock_nanos() -> i64 {
    chrono::Utc::now().timestamp_nanos_opt().unwrap_or(i64::MAX)
}
