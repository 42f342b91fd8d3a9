//! `torhunt check`: parse queries and rule files and bind them against the built-in Advanced Hunting
//! schemas (DeviceNetworkEvents, DeviceInfo, ...), and report every problem with its position. Exit 0
//! when everything is valid, 1 otherwise.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use miette::{IntoDiagnostic, WrapErr};

use crate::diagnostics;

#[derive(clap::Args)]
pub struct CheckArgs {
    /// A query, rule file (.kql, Sentinel .yaml, markdown .md) or `-` for standard input. Repeatable.
    #[arg(long = "file", short = 'f', value_name = "FILE")]
    files: Vec<PathBuf>,
    /// A query given on the command line.
    #[arg(value_name = "KQL", conflicts_with = "files")]
    query: Option<String>,
}

/// A query to check and the name its diagnostics are reported under.
struct Input {
    name: String,
    text: String,
}

pub fn run(args: CheckArgs) -> miette::Result<ExitCode> {
    let inputs = gather(&args)?;
    let mut invalid = 0;
    for input in &inputs {
        match torhunt_rules::check::check_query(&input.text) {
            Ok(_) => println!("ok: {}", input.name),
            Err(found) => {
                invalid += 1;
                diagnostics::print(&found, &input.name, &input.text);
            }
        }
    }
    if invalid > 0 {
        eprintln!("{invalid} of {} queries have errors", inputs.len());
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn gather(args: &CheckArgs) -> miette::Result<Vec<Input>> {
    if let Some(query) = &args.query {
        return Ok(vec![Input {
            name: "<query>".to_string(),
            text: query.clone(),
        }]);
    }
    if args.files.is_empty() {
        miette::bail!("nothing to check: give a query, or --file FILE (`-` reads standard input)");
    }
    let mut inputs = Vec::new();
    for path in &args.files {
        if path.as_os_str() == "-" {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .into_diagnostic()
                .wrap_err("reading standard input")?;
            inputs.push(Input {
                name: "<stdin>".to_string(),
                text,
            });
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
