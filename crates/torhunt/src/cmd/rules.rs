//! `torhunt rules list|show|check|test`: the rule catalog. `check` parses and binds every rule against
//! the built-in table schemas; `test` runs every rule's embedded test cases. Both exit 1 on a failure.

use std::path::PathBuf;

use clap::Subcommand;
use comfy_table::{ContentArrangement, Table, presets};
use torhunt_rules::Rule;
use torhunt_rules::check::{CheckOutcome, check_variant};
use torhunt_rules::hunt::{source_name, window_text};
use torhunt_rules::testing::{TestOutcome, run_rule_tests};

use crate::cmd::hunt::{RuleSet, rule_set};

use crate::cmd::session::runtime;
use crate::diagnostics;
use crate::exit::Outcome;
use crate::output::{self, OutputError, Stdout, safe};
use crate::{note, outln};

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

pub fn run(args: RulesArgs) -> miette::Result<Outcome> {
    let RuleSet {
        rules,
        broken_documents,
    } = rule_set(&args.rules)?;
    let mut out = Stdout::lock();
    let outcome = match args.command {
        RulesCommand::List => {
            list(&mut out, &rules)?;
            Outcome::Clean
        }
        RulesCommand::Show { id } => match rules.iter().find(|r| r.is_named(&id)) {
            Some(rule) => {
                show(&mut out, rule)?;
                Outcome::Clean
            }
            None => miette::bail!("no rule is named `{}` (see `torhunt rules list`)", safe(&id)),
        },
        RulesCommand::Check => check(&mut out, &rules)?,
        RulesCommand::Test => test(&mut out, &rules)?,
    };
    out.finish()?;
    // A rule document that could not be loaded is a failure whatever the subcommand found.
    Ok(if broken_documents > 0 {
        Outcome::Failed
    } else {
        outcome
    })
}

fn list(out: &mut Stdout, rules: &[Rule]) -> Result<(), OutputError> {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(["ID", "SEVERITY", "TECHNIQUES", "NAME"]);
    for rule in rules {
        table.add_row([
            safe(&rule.id).into_owned(),
            rule.severity.to_string(),
            safe(&rule.techniques.join(",")).into_owned(),
            safe(&rule.name).into_owned(),
        ]);
    }
    outln!(out, "{table}")
}

fn show(out: &mut Stdout, rule: &Rule) -> Result<(), OutputError> {
    outln!(
        out,
        "{}\n  id: {}\n  severity: {}",
        safe(&rule.name),
        safe(&rule.id),
        rule.severity
    )?;
    let optional = [
        ("kind", rule.kind.clone()),
        ("version", rule.version.clone()),
        ("query period", rule.query_period.map(window_text)),
        ("query frequency", rule.query_frequency.map(window_text)),
        ("suppression", rule.suppression.map(window_text)),
        ("event grouping", rule.event_grouping.map(|g| format!("{g:?}"))),
        ("alert title", rule.alert_title.clone()),
    ];
    for (label, value) in optional {
        if let Some(value) = value {
            outln!(out, "  {label}: {}", safe(&value))?;
        }
    }
    let lists = [
        ("tactics", &rule.tactics),
        ("techniques", &rule.techniques),
        ("tags", &rule.tags),
        ("tables", &rule.declared_tables),
        ("alert key", &rule.alert_key),
    ];
    for (label, values) in lists {
        if !values.is_empty() {
            outln!(out, "  {label}: {}", safe(&values.join(", ")))?;
        }
    }
    let files: Vec<String> = rule.files.iter().map(|f| output::path(f).into_owned()).collect();
    outln!(out, "  files: {}", files.join(", "))?;
    if !rule.description.is_empty() {
        outln!(out, "\nDescription\n  {}", indented(&rule.description))?;
    }
    for (heading, items) in [
        ("Recommended actions", &rule.recommended_actions),
        ("False positives", &rule.false_positives),
        ("Resources", &rule.resources),
    ] {
        if !items.is_empty() {
            outln!(out, "\n{heading}")?;
            for item in items {
                outln!(out, "  - {}", safe(item))?;
            }
        }
    }
    for variant in &rule.variants {
        outln!(
            out,
            "\nQuery {} (time column {})",
            safe(&source_name(variant)),
            safe(&variant.time_column)
        )?;
        outln!(out, "  {}", indented(variant.query.trim_end()))?;
    }
    if !rule.tests.is_empty() {
        outln!(out, "\nTests")?;
        for test in &rule.tests {
            outln!(
                out,
                "  - {} ({} expected row(s))",
                safe(&test.name),
                test.expect.len()
            )?;
        }
    }
    Ok(())
}

/// Multi-line text from a rule file, terminal-safe, its lines indented by two spaces.
fn indented(text: &str) -> String {
    text.lines()
        .map(|line| safe(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n  ")
}

fn check(out: &mut Stdout, rules: &[Rule]) -> Result<Outcome, OutputError> {
    let mut problems = 0;
    for rule in rules {
        for variant in &rule.variants {
            let name = safe(&format!("{} {}", rule.id, source_name(variant))).into_owned();
            match check_variant(rule, variant) {
                CheckOutcome::Valid => outln!(out, "ok: {name}")?,
                CheckOutcome::SyntaxOnly(reason) => {
                    outln!(out, "ok (syntax only): {name}: {}", safe(&reason))?
                }
                CheckOutcome::Invalid(found) => {
                    problems += 1;
                    outln!(out, "error: {name}")?;
                    std::io::Write::flush(out)?;
                    diagnostics::print(&found, &source_name(variant), &variant.query);
                }
                CheckOutcome::BadMetadata(reason) => {
                    problems += 1;
                    outln!(out, "error: {name}: {}", safe(&reason))?;
                }
            }
        }
    }
    if problems > 0 {
        note!(
            "{problems} rule quer{} have problems",
            if problems == 1 { "y" } else { "ies" }
        );
        return Ok(Outcome::Found);
    }
    Ok(Outcome::Clean)
}

fn test(out: &mut Stdout, rules: &[Rule]) -> miette::Result<Outcome> {
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
        let name = safe(&format!("{}{variant}: {}", result.rule_id, result.test)).into_owned();
        match &result.outcome {
            TestOutcome::Pass => {
                passed += 1;
                outln!(out, "PASS {name}")?;
            }
            TestOutcome::Fail(reason) => {
                failed += 1;
                outln!(out, "FAIL {name}\n     {}", safe(reason))?;
            }
        }
    }
    outln!(out, "{passed} rule tests passed, {failed} failed")?;
    Ok(if failed > 0 {
        Outcome::Found
    } else {
        Outcome::Clean
    })
}
