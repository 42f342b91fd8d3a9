//! `torhunt report`: the HTML report of a hunt saved as NDJSON; and the writer `hunt --report` and
//! `demo` share. Exit 0 when the report is written, 2 when the run cannot be read or the file written.

use std::path::{Path, PathBuf};

use miette::{IntoDiagnostic, WrapErr};
use torhunt_rules::{SavedRun, read_saved_run};

use crate::exit::Outcome;
use crate::note;
use crate::output;

#[derive(clap::Args)]
pub struct ReportArgs {
    /// A hunt's NDJSON output (`torhunt hunt --format ndjson -o run.ndjson`).
    #[arg(value_name = "ALERTS.ndjson")]
    pub alerts: PathBuf,
    /// The HTML file to write.
    #[arg(long, short, value_name = "FILE.html")]
    pub output: PathBuf,
}

pub fn run(args: ReportArgs) -> miette::Result<Outcome> {
    let text = std::fs::read_to_string(&args.alerts)
        .into_diagnostic()
        .wrap_err_with(|| format!("reading {}", output::path(&args.alerts)))?;
    let run =
        read_saved_run(&text).map_err(|error| miette::miette!("{}: {error}", output::path(&args.alerts)))?;
    if run.summary.is_none() {
        note!(
            "warning: {} has no run summary (saved by an older torhunt): the report cannot show the time \
             range, the data read or the rules skipped",
            output::path(&args.alerts)
        );
    }
    write_report(&args.output, &run)?;
    Ok(Outcome::Clean)
}

/// Renders the report of `run` into `path`.
pub fn write_report(path: &Path, run: &SavedRun) -> miette::Result<()> {
    let page = torhunt_report::render(run).into_diagnostic()?;
    std::fs::write(path, page)
        .into_diagnostic()
        .wrap_err_with(|| format!("writing the report to {}", output::path(path)))
}
