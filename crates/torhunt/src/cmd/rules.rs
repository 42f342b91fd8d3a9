//! `torhunt rules list|show|check|test`: the rule catalog. `check` parses and binds every rule against
//! the built-in table schemas; `test` runs every rule's embedded test cases. Both exit 1 on a failure.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use comfy_table::{ContentArrangement, Table, presets};
use torhunt_rules::Rule;
use torhunt_rules::check::{CheckOutcome, check_variant};
use torhunt_rules::hunt::{source_name, window_text};
use torhunt_rules::testing::{TestOutcome, run_rule_tests};

use crate::cmd::hunt::rule_set;

use crate::cmd::session::runtime;
use crate::diagnostics;

#[derive(clap::Args)]
pub struct RulesArgs {
    /// Rule files or folders to use instead of the shipped rules. Repeatable.
    #[arg(long, global = true, value_name = "PATH")]
    rules: Vec<PathBuf>,
    #[command(subcommand)]
    command: RulesCommand,
}

#[derive(Subcommand)]
enum RulesCommand {
    /// One line per rule: id, severity, techniques, name.
    List,
    /// Everything about one rule (by id, name or slug of the name).
    Show { id: String },
    /// Parse and bind every rule against the built-in table schemas.
    Check,
    /// Run every rule's embedded test cases.
    Test,
}

pub fn run(args: RulesArgs) -> miette::Result<ExitCode> {
    let rules = rule_set(&args.rules)?;
    match args.command {
        RulesCommand::List => {
            list(&rules);
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Show { id } => match rules.iter().find(|r| r.is_named(&id)) {
            Some(rule) => {
                show(rule);
                Ok(ExitCode::SUCCESS)
            }
            None => miette::bail!("no rule is named `{id}` (see `torhunt rules list`)"),
        },
        RulesCommand::Check => Ok(check(&rules)),
        RulesCommand::Test => test(&rules),
    }
}

fn list(rules: &[Rule]) {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(["ID", "SEVERITY", "TECHNIQUES", "NAME"]);
    for rule in rules {
        table.add_row([
            rule.id.as_str(),
            &rule.severity.to_string(),
            &rule.techniques.join(","),
            &rule.name,
        ]);
    }
    println!("{table}");
}

fn show(rule: &Rule) {
    println!("{}\n  id: {}\n  severity: {}", rule.name, rule.id, rule.severity);
    let optional = [
        ("kind", rule.kind.clone()),
        ("version", rule.version.clone()),
        ("query period", rule.query_period.map(window_text)),
        ("query frequency", rule.query_frequency.map(window_text)),
        ("alert title", rule.alert_title.clone()),
    ];
    for (label, value) in optional {
        if let Some(value) = value {
            println!("  {label}: {value}");
        }
    }
    let lists = [
        ("tactics", &rule.tactics),
        ("techniques", &rule.techniques),
        ("tags", &rule.tags),
        ("tables", &rule.declared_tables),
    ];
    for (label, values) in lists {
        if !values.is_empty() {
            println!("  {label}: {}", values.join(", "));
        }
    }
    let files: Vec<String> = rule.files.iter().map(|f| f.display().to_string()).collect();
    println!("  files: {}", files.join(", "));
    if !rule.description.is_empty() {
        println!("\nDescription\n  {}", rule.description.replace('\n', "\n  "));
    }
    for (heading, items) in [
        ("Recommended actions", &rule.recommended_actions),
        ("False positives", &rule.false_positives),
        ("Resources", &rule.resources),
    ] {
        if !items.is_empty() {
            println!("\n{heading}");
            for item in items {
                println!("  - {item}");
            }
        }
    }
    for variant in &rule.variants {
        println!(
            "\nQuery {} (time column {})",
            source_name(variant),
            variant.time_column
        );
        println!("  {}", variant.query.trim_end().replace('\n', "\n  "));
    }
    if !rule.tests.is_empty() {
        println!("\nTests");
        for test in &rule.tests {
            println!("  - {} ({} expected row(s))", test.name, test.expect.len());
        }
    }
}

fn check(rules: &[Rule]) -> ExitCode {
    let mut problems = 0;
    for rule in rules {
        for variant in &rule.variants {
            let name = format!("{} {}", rule.id, source_name(variant));
            match check_variant(rule, variant) {
                CheckOutcome::Valid => println!("ok: {name}"),
                CheckOutcome::SyntaxOnly(reason) => println!("ok (syntax only): {name}: {reason}"),
                CheckOutcome::Invalid(found) => {
                    problems += 1;
                    println!("error: {name}");
                    diagnostics::print(&found, &source_name(variant), &variant.query);
                }
                CheckOutcome::BadMetadata(reason) => {
                    problems += 1;
                    println!("error: {name}: {reason}");
                }
            }
        }
    }
    if problems > 0 {
        eprintln!(
            "{problems} rule quer{} have problems",
            if problems == 1 { "y" } else { "ies" }
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn test(rules: &[Rule]) -> miette::Result<ExitCode> {
    let results = runtime(None)?.block_on(async {
        let mut results = Vec::new();
        for rule in rules {
            results.extend(run_rule_tests(rule).await);
        }
        results
    });
    let (mut passed, mut failed) = (0, 0);
    for result in &results {
        let variant = result
            .variant
            .as_deref()
            .map(|v| format!(" [{v}]"))
            .unwrap_or_default();
        let name = format!("{}{variant}: {}", result.rule_id, result.test);
        match &result.outcome {
            TestOutcome::Pass => {
                passed += 1;
                println!("PASS {name}");
            }
            TestOutcome::Fail(reason) => {
                failed += 1;
                println!("FAIL {name}\n     {reason}");
            }
        }
    }
    println!("{passed} rule tests passed, {failed} failed");
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
