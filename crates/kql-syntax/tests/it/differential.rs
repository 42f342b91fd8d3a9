//! Differential tests against Microsoft's own parser (Kusto.Language, through
//! `../shared/tools/kusto-oracle/kql-check.js --syntax-only --jsonl`): torhunt must accept exactly the
//! corpus queries Kusto accepts, and every documentation query Kusto accepts.
//!
//! Skipped, with a message, when `../shared`, `node` or the oracle is missing (under CI: failed);
//! install the oracle with `../shared/tools/kusto-oracle/install.sh`.
//!
//! `KQL_EXTRA_CORPUS=a.jsonl:b.jsonl` (lines `{"id", "kql"}`) runs the same comparison over larger
//! collections kept outside the repository (e.g. queries extracted from public hunting-query
//! repositories or the Kusto documentation).

use std::collections::HashMap;

use kusto_oracle::{Case, Mode, Oracle, Verdict};

/// One line per query where torhunt and Kusto disagree, with torhunt's first diagnostic.
fn disagreements(cases: &[Case], verdicts: &HashMap<String, Verdict>, only_accepted: bool) -> Vec<String> {
    let mut out = Vec::new();
    for case in cases {
        let kusto_accepts = verdicts[&case.id].ok;
        if only_accepted && !kusto_accepts {
            continue;
        }
        let ours = kql_syntax::parse(&case.kql);
        if ours.is_ok() != kusto_accepts {
            let detail = match &ours {
                Ok(_) => "torhunt accepts, Kusto rejects".to_string(),
                Err(diagnostics) => {
                    let (line, column) = diagnostics[0].line_column(&case.kql);
                    format!("torhunt rejects at {line}:{column}: {}", diagnostics[0].message)
                }
            };
            out.push(format!("{}: {detail}", case.id));
        }
    }
    out
}

/// Compares torhunt's parser with the oracle over `cases` (all of them, or only those Kusto accepts);
/// skips when the oracle is missing.
fn assert_parses_like_kusto(
    what: &str,
    cases: impl FnOnce(&std::path::Path) -> Vec<Case>,
    only_accepted: bool,
) {
    let Some(oracle) = Oracle::for_test() else {
        return;
    };
    let cases = cases(oracle.shared());
    let verdicts = oracle.check(Mode::Syntax, &cases);
    let accepted = verdicts.values().filter(|v| v.ok).count();
    eprintln!("Kusto accepts {accepted} of {} {what}", cases.len());
    let differences = disagreements(&cases, &verdicts, only_accepted);
    assert!(
        differences.is_empty(),
        "{} disagreements:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

#[test]
fn hunting_corpus_matches_kusto_exactly() {
    assert_parses_like_kusto("corpus queries", kusto_oracle::corpus_cases, false);
}

#[test]
fn documentation_queries_kusto_accepts_parse() {
    assert_parses_like_kusto("documentation queries", kusto_oracle::conformance_cases, true);
}

/// Over collections outside the repository, queries Kusto accepts must parse or be refused by name
/// (`not supported yet: ...`, e.g. management commands or graph operators); the refusals and the
/// queries torhunt accepts beyond Kusto.Language (the documented `find ... project pack_all()`) are
/// listed, not failed.
#[test]
fn extra_corpora_parse_or_are_refused_by_name() {
    let Some(paths) = std::env::var_os("KQL_EXTRA_CORPUS") else {
        return;
    };
    let Some(oracle) = Oracle::for_test() else {
        return;
    };
    let cases: Vec<Case> = std::env::split_paths(&paths)
        .flat_map(|path| kusto_oracle::jsonl_cases(&path))
        .collect();
    let verdicts = oracle.check(Mode::Syntax, &cases);
    let differences = disagreements(&cases, &verdicts, false);
    let (listed, failing): (Vec<&String>, Vec<&String>) = differences
        .iter()
        .partition(|d| d.contains("not supported yet") || d.ends_with("Kusto rejects"));
    eprintln!(
        "{} queries, {} accepted by Kusto; refused by name or accepted beyond Kusto.Language:",
        cases.len(),
        verdicts.values().filter(|v| v.ok).count()
    );
    for line in &listed {
        eprintln!("  {line}");
    }
    assert!(
        failing.is_empty(),
        "{} syntax disagreements:\n{}",
        failing.len(),
        failing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
    );
}
