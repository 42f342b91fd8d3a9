//! `torhunt query`: run one KQL query over telemetry files and print the result.

use std::io::{BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;

use futures::StreamExt;
use miette::{IntoDiagnostic, WrapErr};
use torhunt_engine::QueryError;
use torhunt_engine::output::{OutputFormat, ResultWriter};
use torhunt_rules::needs::query_needs;

use crate::cmd::session::{SessionArgs, open_engine, runtime};
use crate::diagnostics;
use crate::exit::Outcome;
use crate::output::{OutputError, Stdout};

#[derive(clap::Args)]
pub struct QueryArgs {
    #[command(flatten)]
    session: SessionArgs,
    /// Output format; `table` on a terminal, `ndjson` otherwise.
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Read the query from a file (`-` for standard input).
    #[arg(long = "file", short = 'f', value_name = "FILE", conflicts_with = "query")]
    file: Option<PathBuf>,
    /// Print the physical plan instead of running the query: each scan shows its files, projection,
    /// prefilter and the join filters it receives.
    #[arg(long)]
    explain: bool,
    /// The query.
    #[arg(value_name = "KQL", required_unless_present = "file")]
    query: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Table,
    Json,
    Ndjson,
    Csv,
}

pub fn run(args: QueryArgs) -> miette::Result<Outcome> {
    let (name, text) = query_text(&args)?;
    let format = match args.format {
        Some(FormatArg::Table) => OutputFormat::Table,
        Some(FormatArg::Json) => OutputFormat::Json,
        Some(FormatArg::Ndjson) => OutputFormat::Ndjson,
        Some(FormatArg::Csv) => OutputFormat::Csv,
        None if std::io::stdout().is_terminal() => OutputFormat::Table,
        None => OutputFormat::Ndjson,
    };
    runtime(args.session.threads)?.block_on(async {
        let session = open_engine(&args.session).await?;
        // A query that does not tokenize is reported with its diagnostics when it runs.
        if let Ok(needs) = query_needs(&text) {
            session.warn_missing_tables(needs.tables.iter().map(String::as_str));
        }
        if args.explain {
            return explain(&session.engine, &name, &text).await;
        }
        let (columns, mut stream) = match session.engine.query_stream(&text).await {
            Ok(started) => started,
            Err(error) => {
                diagnostics::print(&error.diagnostics, &name, &text);
                return Ok(Outcome::Failed);
            }
        };
        // Rows are written as their batches arrive: a result of any size is never held whole.
        let mut out = Stdout::lock();
        let mut buffered = BufWriter::new(&mut out);
        let mut writer = ResultWriter::start(&columns, format, &mut buffered).map_err(OutputError)?;
        let mut failed = None;
        while let Some(batch) = stream.next().await {
            match batch {
                Ok(batch) => writer.batch(&batch).map_err(OutputError)?,
                Err(error) => {
                    failed = Some(QueryError::from_execution(error, &text));
                    break;
                }
            }
        }
        if failed.is_none() {
            writer.finish().map_err(OutputError)?;
        }
        buffered.flush().map_err(OutputError)?;
        drop(buffered);
        out.finish()?;
        session.report_skipped();
        if let Some(error) = failed {
            diagnostics::print(&error.diagnostics, &name, &text);
            return Ok(Outcome::Failed);
        }
        Ok(Outcome::Clean)
    })
}

/// Prints the physical plan DataFusion would run.
async fn explain(engine: &torhunt_engine::Engine, name: &str, text: &str) -> miette::Result<Outcome> {
    let plan = match engine.explain(text).await {
        Ok(plan) => plan,
        Err(error) => {
            diagnostics::print(&error.diagnostics, name, text);
            return Ok(Outcome::Failed);
        }
    };
    let mut out = Stdout::lock();
    write!(out, "{plan}").map_err(OutputError)?;
    out.finish()?;
    Ok(Outcome::Clean)
}

fn query_text(args: &QueryArgs) -> miette::Result<(String, String)> {
    match (&args.query, &args.file) {
        (Some(query), _) => Ok(("<query>".to_string(), query.clone())),
        (None, Some(path)) if path.as_os_str() == "-" => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .into_diagnostic()
                .wrap_err("reading standard input")?;
            Ok(("<stdin>".to_string(), text))
        }
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .into_diagnostic()
                .wrap_err_with(|| format!("reading {}", path.display()))?;
            Ok((path.display().to_string(), text))
        }
        (None, None) => miette::bail!("give a query, or --file FILE"),
    }
}
