//! Test support: Microsoft's KQL parser and analyser (Kusto.Language, behind
//! `../shared/tools/kusto-oracle/kql-check.js`) as an oracle, and the query collections in `../shared`.
//!
//! Tests that use it skip, saying why, when `../shared`, Node.js or the oracle's npm package is missing
//! (`../shared/tools/kusto-oracle/install.sh` installs it); CI always has them.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// `../shared` beside the repository root, when this checkout has it.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    dir.is_dir().then_some(dir)
}

/// One query of a collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub id: String,
    pub kql: String,
}

/// The `{"id", "kql"}` lines of a JSON-lines file.
pub fn jsonl_cases(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let record: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}: a line is not JSON: {e}", path.display()));
            Case {
                id: record["id"].as_str().expect("each line has an id").into(),
                kql: record["kql"].as_str().expect("each line has kql").into(),
            }
        })
        .collect()
}

/// The real Defender hunting queries of `../shared/corpus/m365-hunting-queries.jsonl`.
pub fn corpus_cases(shared: &Path) -> Vec<Case> {
    jsonl_cases(&shared.join("corpus/m365-hunting-queries.jsonl"))
}

/// The documentation queries of `../shared/conformance/kql-emulator-cases.json`.
pub fn conformance_cases(shared: &Path) -> Vec<Case> {
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

/// A diagnostic Kusto.Language reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OracleDiagnostic {
    pub severity: String,
    pub code: String,
    pub message: String,
    pub start: usize,
    pub length: usize,
}

/// A result column as Kusto.Language infers it (`type` is Kusto's name: `string`, `long`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OracleColumn {
    pub name: String,
    pub ty: String,
}

/// Kusto.Language's answer for one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// No diagnostic of severity `Error`.
    pub ok: bool,
    pub diagnostics: Vec<OracleDiagnostic>,
    /// The result schema; `None` for a syntax-only check or a query without a tabular result.
    pub columns: Option<Vec<OracleColumn>>,
}

/// What the oracle checks.
#[derive(Debug, Clone, Copy)]
pub enum Mode<'a> {
    /// Parsing only (`--syntax-only`).
    Syntax,
    /// Parsing and semantic analysis against the tables of a schema file
    /// (`{"tables": {"T": {"Column": "type"}}}`); `None` uses the oracle's own `mde-schema.json`.
    Analyze(Option<&'a Path>),
}

/// The oracle script, known to run.
pub struct Oracle {
    script: PathBuf,
}

impl Oracle {
    /// The oracle in `shared`, or why it cannot run (to print as the reason for skipping).
    pub fn locate(shared: &Path) -> Result<Oracle, String> {
        let script = shared.join("tools/kusto-oracle/kql-check.js");
        let output = Command::new("node")
            .arg(&script)
            .args(["--syntax-only", "print 1"])
            .output()
            .map_err(|err| format!("cannot run node ({err}); the Kusto oracle needs Node.js"))?;
        if !output.status.success() {
            return Err(format!(
                "the Kusto oracle is not usable ({}); run {}/tools/kusto-oracle/install.sh",
                String::from_utf8_lossy(&output.stderr).trim(),
                shared.display()
            ));
        }
        Ok(Oracle { script })
    }

    /// Checks every case in one oracle process; the verdicts by case id.
    pub fn check(&self, mode: Mode<'_>, cases: &[Case]) -> HashMap<String, Verdict> {
        let input: String = cases
            .iter()
            .map(|case| format!("{}\n", serde_json::json!({ "id": case.id, "kql": case.kql })))
            .collect();
        let mut command = Command::new("node");
        command.arg(&self.script).arg("--jsonl");
        match mode {
            Mode::Syntax => {
                command.arg("--syntax-only");
            }
            Mode::Analyze(Some(schema)) => {
                command.arg("--schema").arg(schema);
            }
            Mode::Analyze(None) => {}
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the oracle starts");
        // Write from a thread: the oracle answers line by line and would block on a full stdout pipe.
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let output = child.wait_with_output().expect("the oracle runs");
        writer
            .join()
            .expect("writer thread")
            .expect("the oracle reads its input");
        assert!(
            output.status.success(),
            "the oracle failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let verdicts: HashMap<String, Verdict> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                let record: Value = serde_json::from_str(line).expect("the oracle prints JSON lines");
                let id = record["id"].as_str().expect("each record has an id").to_string();
                (id, verdict(&record))
            })
            .collect();
        assert_eq!(
            verdicts.len(),
            cases.len(),
            "the oracle answered every query once"
        );
        verdicts
    }
}

fn verdict(record: &Value) -> Verdict {
    let text = |value: &Value| value.as_str().unwrap_or_default().to_string();
    let number = |value: &Value| value.as_u64().unwrap_or_default() as usize;
    let diagnostics = record["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| OracleDiagnostic {
            severity: text(&d["severity"]),
            code: text(&d["code"]),
            message: text(&d["message"]),
            start: number(&d["start"]),
            length: number(&d["length"]),
        })
        .collect();
    let columns = record["columns"].as_array().map(|columns| {
        columns
            .iter()
            .map(|c| OracleColumn {
                name: text(&c["name"]),
                ty: text(&c["type"]),
            })
            .collect()
    });
    Verdict {
        ok: record["ok"].as_bool().expect("each record has ok"),
        diagnostics,
        columns,
    }
}
