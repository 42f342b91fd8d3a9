//! Differential tests against Microsoft's own parser (Kusto.Language, through
//! `../shared/tools/kusto-oracle/kql-check.js --syntax-only --jsonl`): torhunt must accept exactly the
//! corpus queries Kusto accepts, and every documentation query Kusto accepts.
//!
//! Skipped, with a message, when `../shared`, `node` or the oracle is missing; install the oracle with
//! `../shared/tools/kusto-oracle/install.sh`.
//!
//! `KQL_EXTRA_CORPUS=a.jsonl:b.jsonl` (lines `{"id", "kql"}`) runs the same comparison over larger
//! collections kept outside the repository (e.g. queries extracted from public hunting-query repositories).

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::shared_dir;

/// One query of a test file.
struct Case {
    id: String,
    kql: String,
}

/// Runs the oracle over `cases` in one process; `None` (after saying why) when it cannot run.
fn oracle_verdicts(shared: &Path, cases: &[Case]) -> Option<HashMap<String, bool>> {
    let script = shared.join("tools/kusto-oracle/kql-check.js");
    let input: String = cases
        .iter()
        .map(|case| format!("{}\n", serde_json::json!({ "id": case.id, "kql": case.kql })))
        .collect();
    let child = Command::new("node")
        .arg(&script)
        .args(["--syntax-only", "--jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(err) => {
            eprintln!("skipping: cannot run node ({err}); the Kusto oracle needs Node.js");
            return None;
        }
    };
    // Write from a thread: the oracle answers line by line and would block on a full stdout pipe.
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("the oracle process runs");
    writer
        .join()
        .expect("writer thread")
        .expect("the oracle reads its input");
    if !output.status.success() {
        eprintln!(
            "skipping: the Kusto oracle is not usable ({}); run {}/tools/kusto-oracle/install.sh",
            String::from_utf8_lossy(&output.stderr).trim(),
            shared.display()
        );
        return None;
    }
    let verdicts = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let record: Value = serde_json::from_str(line).expect("the oracle prints JSON lines");
            let id = record["id"].as_str().expect("each record has an id").to_string();
            (id, record["ok"].as_bool().expect("each record has ok"))
        })
        .collect::<HashMap<_, _>>();
    assert_eq!(
        verdicts.len(),
        cases.len(),
        "the oracle answered every query once"
    );
    Some(verdicts)
}

fn corpus_cases(shared: &Path) -> Vec<Case> {
    jsonl_cases(&shared.join("corpus/m365-hunting-queries.jsonl"))
}

/// The `{"id", "kql"}` lines of a JSON-lines file.
fn jsonl_cases(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let record: Value = serde_json::from_str(line).expect("corpus lines are JSON");
            Case {
                id: record["id"].as_str().expect("id").into(),
                kql: record["kql"].as_str().expect("kql").into(),
            }
        })
        .collect()
}

fn conformance_cases(shared: &Path) -> Vec<Case> {
    let path = shared.join("conformance/kql-emulator-cases.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let document: Value = serde_json::from_str(&text).expect("the conformance file is JSON");
    document["cases"]
        .as_array()
        .expect("a `cases` array")
        .iter()
        .map(|case| Case {
            id: case["id"].as_str().expect("id").into(),
            kql: case["kql"].as_str().expect("kql").into(),
        })
        .collect()
}

/// One line per query where torhunt and Kusto disagree, with torhunt's first diagnostic.
fn disagreements(cases: &[Case], verdicts: &HashMap<String, bool>, only_accepted: bool) -> Vec<String> {
    let mut out = Vec::new();
    for case in cases {
        let kusto_accepts = verdicts[&case.id];
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

#[test]
fn hunting_corpus_matches_kusto_exactly() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let cases = corpus_cases(&shared);
    let Some(verdicts) = oracle_verdicts(&shared, &cases) else {
        return;
    };
    let accepted = verdicts.values().filter(|ok| **ok).count();
    eprintln!("Kusto accepts {accepted} of {} corpus queries", cases.len());
    let differences = disagreements(&cases, &verdicts, false);
    assert!(
        differences.is_empty(),
        "{} disagreements:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

#[test]
fn documentation_queries_kusto_accepts_parse() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let cases = conformance_cases(&shared);
    let Some(verdicts) = oracle_verdicts(&shared, &cases) else {
        return;
    };
    let accepted = verdicts.values().filter(|ok| **ok).count();
    eprintln!(
        "Kusto accepts {accepted} of {} documentation queries",
        cases.len()
    );
    let differences = disagreements(&cases, &verdicts, true);
    assert!(
        differences.is_empty(),
        "{} rejected:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

#[test]
fn extra_corpora_match_kusto_exactly() {
    let Some(paths) = std::env::var_os("KQL_EXTRA_CORPUS") else {
        return;
    };
    let Some(shared) = shared_dir() else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let cases: Vec<Case> = std::env::split_paths(&paths)
        .flat_map(|path| jsonl_cases(&path))
        .collect();
    let Some(verdicts) = oracle_verdicts(&shared, &cases) else {
        return;
    };
    let accepted = verdicts.values().filter(|ok| **ok).count();
    eprintln!("Kusto accepts {accepted} of {} extra queries", cases.len());
    let differences = disagreements(&cases, &verdicts, false);
    assert!(
        differences.is_empty(),
        "{} disagreements:\n{}",
        differences.len(),
        differences.join("\n")
    );
}
