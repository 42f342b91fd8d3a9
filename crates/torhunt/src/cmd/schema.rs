//! `torhunt schema`: the table catalog torhunt checks and runs queries against — every Defender XDR
//! Advanced Hunting table and the Sentinel tables hunters use — and the schema file Kusto.Language's
//! tooling reads (`--oracle-json`).

use std::io::Write;
use std::path::PathBuf;

use crate::exit::Outcome;
use crate::output::{OutputError, Stdout};
use miette::{IntoDiagnostic, WrapErr};
use torhunt_sources::{CatalogSource, builtin_schema, catalog_source, known_tables, kusto_language_schema};

#[derive(clap::Args)]
pub struct SchemaArgs {
    /// Show this table's columns and types (default: list every table).
    #[arg(value_name = "TABLE", conflicts_with = "oracle_json")]
    table: Option<String>,
    /// Write every table as `{"tables": {"T": {"Col": "type"}}}`, the schema file of Kusto.Language's
    /// `kql-check.js --schema FILE`.
    #[arg(long)]
    oracle_json: bool,
    /// Write to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: SchemaArgs) -> miette::Result<Outcome> {
    let text = if args.oracle_json {
        format!("{:#}\n", kusto_language_schema())
    } else if let Some(name) = &args.table {
        let schema =
            builtin_schema(name).ok_or_else(|| match kql_binder::suggestion(name, known_tables()) {
                Some(table) => miette::miette!("no table `{name}` in the catalog; did you mean `{table}`?"),
                None => miette::miette!("no table `{name}` in the catalog (`torhunt schema` lists them)"),
            })?;
        schema
            .columns()
            .iter()
            .map(|(column, kusto_type)| format!("{column}\t{}\n", kusto_type.name()))
            .collect()
    } else {
        known_tables()
            .map(|table| {
                let source = match catalog_source(table) {
                    Some(CatalogSource::Sentinel) => "Sentinel",
                    _ => "Defender XDR",
                };
                let columns = builtin_schema(table).map_or(0, |s| s.columns().len());
                format!("{table}\t{source}\t{columns} columns\n")
            })
            .collect()
    };
    match &args.output {
        Some(path) => std::fs::write(path, &text)
            .into_diagnostic()
            .wrap_err_with(|| format!("writing {}", path.display()))?,
        None => {
            let mut out = Stdout::lock();
            out.write_all(text.as_bytes()).map_err(OutputError)?;
            out.finish()?;
        }
    }
    Ok(Outcome::Clean)
}
