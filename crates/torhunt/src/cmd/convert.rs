//! `torhunt convert`: rewrite telemetry as typed Parquet, one folder per table, that reads back with
//! identical query results.

use std::path::PathBuf;

use miette::{IntoDiagnostic, WrapErr};
use torhunt_sources::convert_to_parquet;

use crate::cmd::session::{ReadFlags, discover, print_read_report, runtime, table_mapping};
use crate::exit::Outcome;
use crate::outln;
use crate::output::{self, Stdout, safe};

#[derive(clap::Args)]
pub struct ConvertArgs {
    /// Telemetry to read: files, directories (walked), globs or storage URLs (az://, abfss://, https://). Repeatable.
    #[arg(long, value_name = "PATH", required_unless_present = "tables")]
    pub data: Vec<PathBuf>,
    /// Read PATH as table NAME, whatever its content says. Repeatable.
    #[arg(long = "table", value_name = "NAME=PATH", value_parser = table_mapping)]
    pub tables: Vec<(String, PathBuf)>,
    /// Output folder; each table goes to DIR/<Table>/part-0.parquet.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub read: ReadFlags,
}

pub fn run(args: ConvertArgs) -> miette::Result<Outcome> {
    let data = discover(&args.data, &args.tables, &args.read)?;
    let written = runtime(None)?
        .block_on(convert_to_parquet(&data, &args.out))
        .into_diagnostic()
        .wrap_err_with(|| format!("writing Parquet to {}", args.out.display()))?;
    let mut out = Stdout::lock();
    for table in written {
        outln!(
            out,
            "{}: {} rows -> {}",
            safe(&table.table),
            table.rows,
            output::path(&table.path)
        )?;
    }
    out.finish()?;
    print_read_report(data.report());
    Ok(Outcome::Clean)
}
