//! `torhunt watch`: continuous detection over growing telemetry folders and storage containers
//! (`torhunt-watch` does the work). With `--once` one cycle runs and the status is 0 (no new
//! alert), 1 (new alerts) or 2 (a rule failed or could not run); without it cycles run until
//! SIGTERM / SIGINT, which finish the cycle under way and save the state first (status 143 / 130).
//! One watcher per state folder: it holds the folder's lock for its whole life.

use std::path::{Path, PathBuf};
use std::time::Duration;

use miette::{IntoDiagnostic, WrapErr};
use torhunt_rules::Severity;
use torhunt_watch::files::check_root;
use torhunt_watch::schedule::Schedule;
use torhunt_watch::status::status_lines;
use torhunt_watch::{CycleReport, State, StateLock, Watch, Webhook};

use crate::cleanup;
use crate::cmd::hunt::{parse_severity, rule_set, wall_clock_nanos};
use crate::cmd::session::{
    SessionArgs, base_engine, parse_timeout, print_read_report_of, read_options, runtime, stores,
};
use crate::diagnostics;
use crate::exit::Outcome;
use crate::note;
use crate::outln;
use crate::output::{self, Stdout, safe};

#[derive(clap::Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub session: SessionArgs,
    /// The state folder: files read, rule progress, alert ids written (created when missing). One
    /// watcher per folder: a second one is refused while the first runs.
    #[arg(long, value_name = "DIR")]
    pub state: PathBuf,
    /// Rule files or folders to run instead of the shipped rules. Repeatable.
    #[arg(long, value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Append alerts to this NDJSON file (each alert once, across restarts); without it (and without
    /// --webhook) alerts go to standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// POST each alert's JSON to this URL (retried with backoff; dead-lettered after
    /// --webhook-attempts failures).
    #[arg(long, value_name = "URL")]
    pub webhook: Option<String>,
    /// Calls per alert before it goes to the state folder's dead-letters.ndjson.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub webhook_attempts: u32,
    /// The wait before the first webhook retry, doubled for each next one (e.g. 500ms, 2s).
    #[arg(long, value_name = "TIMESPAN", default_value = "1s", value_parser = parse_timeout)]
    pub webhook_backoff: Duration,
    /// Run one cycle and exit (for cron and replays).
    #[arg(long)]
    pub once: bool,
    /// Show where each rule stands in the --state folder, and exit.
    #[arg(long)]
    pub status: bool,
    /// How often a running watcher looks for new files between rule runs.
    #[arg(long, value_name = "TIMESPAN", default_value = "1m", value_parser = parse_timeout)]
    pub poll: Duration,
    /// Run only rules of at least this severity.
    #[arg(long, value_name = "SEVERITY", default_value = "informational", value_parser = parse_severity)]
    pub min_severity: Severity,
    /// For rules with several queries (markdown documents), the variant to run, e.g. `sentinel`.
    #[arg(long, value_name = "NAME")]
    pub variant: Option<String>,
}

pub fn run(args: WatchArgs) -> miette::Result<Outcome> {
    if args.status {
        return status(&args);
    }
    refuse_unsupported(&args)?;
    // Held until the process ends (the OS releases it however it ends).
    let _lock = StateLock::acquire(&args.state).into_diagnostic()?;
    let rules = rule_set(&args.rules)?;
    let runtime = runtime(args.session.threads)?;
    let base = runtime.block_on(base_engine(&args.session))?;
    let watch = Watch {
        data: args.session.data.clone(),
        state_dir: args.state.clone(),
        rules: rules.rules,
        engine: base.engine.clone(),
        read: read_options(&args.session.read),
        stores: stores(&args.session.read),
        min_severity: args.min_severity,
        variant: args.variant.clone(),
        output: args.output.clone(),
        webhook: args.webhook.as_ref().map(|url| Webhook {
            url: url.clone(),
            max_attempts: args.webhook_attempts.max(1),
            backoff: args.webhook_backoff,
            timeout: Duration::from_secs(30),
            dead_letter_file: args.state.join("dead-letters.ndjson"),
        }),
    };
    let mut state = State::load(&args.state).into_diagnostic()?;
    if args.once {
        let now = args.session.now.unwrap_or_else(wall_clock_nanos);
        let report = runtime
            .block_on(watch.cycle(&mut state, now))
            .into_diagnostic()
            .wrap_err("watch cycle")?;
        let failed = tell(&args, &watch, &report)?;
        return Ok(if failed {
            Outcome::Failed
        } else if report.alerts.is_empty() {
            Outcome::Clean
        } else {
            Outcome::Found
        });
    }
    cleanup::finish_work_on_signal();
    loop {
        let now = wall_clock_nanos();
        let report = runtime
            .block_on(watch.cycle(&mut state, now))
            .into_diagnostic()
            .wrap_err("watch cycle")?;
        tell(&args, &watch, &report)?;
        if let Some(signal) = wait_for_next_cycle(&watch, args.poll) {
            drop(base);
            cleanup::end_by_signal(signal);
        }
    }
}

/// Flags of the session that watch does not honour yet are refused, not ignored.
fn refuse_unsupported(args: &WatchArgs) -> miette::Result<()> {
    let session = &args.session;
    if session.now.is_some() && !args.once {
        miette::bail!("--now fixes the clock of one cycle: use it with --once");
    }
    if session.timeout.is_some() && !args.once {
        miette::bail!("--timeout bounds one command's queries: use it with --once");
    }
    if !session.tables.is_empty() {
        miette::bail!("watch does not support --table yet: it recognises tables from content");
    }
    if session.cluster.is_some() {
        miette::bail!("watch does not support --cluster yet");
    }
    if session.data.is_empty() {
        miette::bail!("watch needs --data: the folders, files or storage URLs to watch");
    }
    for path in &session.data {
        check_root(path).into_diagnostic()?;
    }
    Ok(())
}

/// Prints the cycle's alerts (when there is no other sink), problems and status line; returns whether
/// a rule failed or could not run.
fn tell(args: &WatchArgs, watch: &Watch, report: &CycleReport) -> miette::Result<bool> {
    if args.output.is_none() && args.webhook.is_none() {
        let mut out = Stdout::lock();
        for alert in &report.alerts {
            outln!(out, "{alert}")?;
        }
        out.finish()?;
    }
    if report.output_cut > 0 {
        note!(
            "note: cut {} bytes off the end of the output: alerts of a cycle that did not finish, written again",
            report.output_cut
        );
    }
    for path in &report.replaced {
        note!(
            "warning: {} was replaced (it shrank, or a blob's bytes already read changed): read again \
             from its start",
            output::path(path)
        );
    }
    for lost in &report.lost {
        note!("warning: new records lost: {}", safe(lost));
    }
    for read in &report.read_reports {
        print_read_report_of(read, &|path: &Path| watch.original_path(path));
    }
    for failed in &report.failed {
        note!("error: rule {} failed:", safe(&failed.rule_id));
        diagnostics::print(&failed.diagnostics, &failed.source_name, &failed.query);
    }
    let mut problem = !report.failed.is_empty();
    for rule in &report.rules {
        if let Some(reason) = &rule.blocked {
            problem = true;
            note!(
                "warning: rule {} did not run; its new records wait: {}",
                safe(&rule.rule_id),
                safe(reason)
            );
        }
        if rule.windows_not_rerun > 0 {
            note!(
                "warning: rule {}: {} older window(s) with late records not re-run (at most {} a cycle)",
                safe(&rule.rule_id),
                rule.windows_not_rerun,
                torhunt_watch::cycle::MAX_WINDOW_RUNS
            );
        }
    }
    if let Some(error) = &report.webhook.last_error {
        note!("warning: webhook: {}", safe(error));
    }
    note!("{}", report.status_line());
    Ok(problem)
}

/// Sleeps until the next rule is due or `poll` has passed, whichever is first; returns the signal
/// that asked to stop, if one came.
fn wait_for_next_cycle(watch: &Watch, poll: Duration) -> Option<i32> {
    let now = wall_clock_nanos();
    let next_tick = watch
        .rules
        .iter()
        .map(|rule| {
            let schedule = Schedule::of(rule);
            schedule.tick_at_or_before(now) + schedule.frequency
        })
        .min()
        .unwrap_or(i64::MAX);
    let until_tick = Duration::from_nanos(next_tick.saturating_sub(now).max(0) as u64);
    let wake = std::time::Instant::now() + poll.min(until_tick);
    loop {
        if let Some(signal) = cleanup::stop_requested() {
            return Some(signal);
        }
        let left = wake.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return None;
        }
        std::thread::sleep(left.min(Duration::from_millis(200)));
    }
}

/// `--status`: where each rule stands.
fn status(args: &WatchArgs) -> miette::Result<Outcome> {
    if !State::exists(&args.state) {
        miette::bail!(
            "{} holds no watch state (no cycle has run with --state there)",
            output::path(&args.state)
        );
    }
    let state = State::load(&args.state).into_diagnostic()?;
    let rules = rule_set(&args.rules)?;
    let mut out = Stdout::lock();
    for line in status_lines(&state, &rules.rules, args.variant.as_deref()) {
        outln!(out, "{}", safe(&line))?;
    }
    out.finish()?;
    Ok(Outcome::Clean)
}
