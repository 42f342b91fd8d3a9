//! `torhunt sources`: what telemetry files hold: tables, files, formats, rows and time range.

use std::path::PathBuf;

use miette::{IntoDiagnostic, WrapErr};
use torhunt_sources::{kusto_datetime_text, table_stats};

use crate::cmd::session::{ReadFlags, discover, print_read_report, runtime, table_mapping};
use crate::exit::Outcome;
use crate::outln;
use crate::output::{self, Stdout, safe};

#[derive(clap::Args)]
pub struct SourcesArgs {
    /// Telemetry to read: files, directories (walked), globs or storage URLs (az://, abfss://, https://). Tables are recognised from content.
    #[arg(value_name = "PATH", required_unless_present = "tables")]
    pub paths: Vec<PathBuf>,
    /// Read PATH as table NAME, whatever its content says. Repeatable.
    #[arg(long = "table", value_name = "NAME=PATH", value_parser = table_mapping)]
    pub tables: Vec<(String, PathBuf)>,
    #[command(flatten)]
    pub read: ReadFlags,
}

pub fn run(args: SourcesArgs) -> miette::Result<Outcome> {
    let data = discover(&args.paths, &args.tables, &args.read)?;
    let stats = runtime(None)?
        .block_on(table_stats(&data))
        .into_diagnostic()
        .wrap_err("reading telemetry")?;
    let mut out = Stdout::lock();
    for summary in data.summary() {
        let table_stats = stats.iter().find(|s| s.table == summary.table);
        let rows = table_stats.map_or(0, |s| s.rows);
        let files = data.table(&summary.table).map(|t| t.files()).unwrap_or_default();
        // Multi-table files feed every built-in table; list only those they had rows for.
        if rows == 0 && files.iter().all(|f| f.is_multi_table()) {
            continue;
        }
        let range = match table_stats.and_then(|s| s.earliest.zip(s.latest)) {
            Some((first, last)) => format!("{} .. {}", kusto_datetime_text(first), kusto_datetime_text(last)),
            None => "no Timestamp".to_string(),
        };
        outln!(
            out,
            "{}: {rows} rows, {range}, {} file(s), {} bytes, {}",
            safe(&summary.table),
            summary.files,
            summary.bytes,
            summary.formats.join(" + ")
        )?;
        for file in files {
            let gzip = if file.compression == torhunt_sources::Compression::Gzip {
                ", gzip"
            } else {
                ""
            };
            let mapping = file
                .format
                .mapping()
                .map_or(String::new(), |m| format!("; mapped: {m}"));
            outln!(
                out,
                "  {} ({}{gzip}{mapping})",
                output::path(&file.path),
                file.format.id()
            )?;
        }
    }
    for path in data.skipped_paths() {
        outln!(
            out,
            "not read (not a data file extension): {}",
            output::path(path)
        )?;
    }
    out.finish()?;
    print_read_report(data.report());
    Ok(Outcome::Clean)
}
