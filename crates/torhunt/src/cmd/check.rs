//! `torhunt check`: parse queries and rule files and bind them against the built-in Advanced Hunting
//! schemas (DeviceNetworkEvents, DeviceInfo, ...), and report every problem with its position. Exit 0
//! when everything is valid, 1 otherwise.

use std::io::Read;
use std::path::PathBuf;

use miette::{IntoDiagnostic, WrapErr};

use crate::diagnostics;
use crate::exit::Outcome;
use crate::output::{Stdout, safe};
use crate::{note, outln};

#[derive(clap::Args)]
pub struct CheckArgs {
    /// A query, rule file (.kql, Sentinel .yaml, markdown .md) or `-` for standard input. Repeatable.
    #[arg(long = "file", short = 'f', value_name = "FILE")]
    files: Vec<PathBuf>,
    /// A query given on the command line; `-` reads it from standard input.
    #[arg(value_name = "KQL", conflicts_with = "files")]
    query: Option<String>,
}

/// A query to check and the name its diagnostics are reported under.
struct Input {
    name: String,
    text: String,
}

pub fn run(args: CheckArgs) -> miette::Result<Outcome> {
    let inputs = gather(&args)?;
    let mut out = Stdout::lock();
    let mut invalid = 0;
    for input in &inputs {
        match torhunt_rules::check::check_query(&input.text) {
            Ok(_) => outln!(out, "ok: {}", safe(&input.name))?,
            Err(found) => {
                invalid += 1;
                diagnostics::print(&found, &input.name, &input.text);
            }
        }
    }
    out.finish()?;
    if invalid > 0 {
        note!("{invalid} of {} queries have errors", inputs.len());
        return Ok(Outcome::Found);
    }
    Ok(Outcome::Clean)
}

fn gather(args: &CheckArgs) -> miette::Result<Vec<Input>> {
    match args.query.as_deref() {
        Some("-") => return Ok(vec![standard_input()?]),
        Some(query) => {
            return Ok(vec![Input {
                name: "<query>".to_string(),
                text: query.to_string(),
            }]);
        }
        None => {}
    }
    if args.files.is_empty() {
        miette::bail!("nothing to check: give a query, or --file FILE (`-` reads standard input)");
    }
    let mut inputs = Vec::new();
    for path in &args.files {
        if path.as_os_str() == "-" {
            inputs.push(standard_input()?);
            continue;
        }
        let queries = torhunt_rules::load_queries(path).into_diagnostic()?;
        for query in queries {
            let mut name = format!("{}", query.source.path.display());
            if let Some(variant) = &query.source.variant {
                name.push_str(&format!(" [{variant}]"));
            }
            inputs.push(Input {
                name,
                text: query.text,
            });
        }
    }
    Ok(inputs)
}

fn standard_input() -> miette::Result<Input> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .into_diagnostic()
        .wrap_err("reading standard input")?;
    Ok(Input {
        name: "<stdin>".to_string(),
        text,
    })
}
