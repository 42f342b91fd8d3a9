//! Test support: Microsoft's KQL parser and analyser (Kusto.Language, behind
//! `../shared/tools/kusto-oracle/kql-check.js`) as an oracle, and the query collections in `../shared`.
//!
//! Tests that use it ([`Oracle::for_test`]) skip, saying why, when `../shared`, Node.js or the oracle's
//! npm package is missing (`../shared/tools/kusto-oracle/install.sh` installs it); under CI, which has
//! them, they fail instead (the `shared-fixtures` crate's rule).
//!
//! Kusto.Language analyses a few hundred expressions a second, so the differential tests use
//! [`Oracle::analyze`]: queries spread over two processes, a query the analyser throws on isolated, and
//! verdicts cached between runs. [`Oracle::builtins`] lists every built-in with its signatures
//! (`js/builtins.js`).

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

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
    /// The `../shared` the oracle was found in (its query collections and schemas too).
    shared: PathBuf,
    script: PathBuf,
    /// What identifies the oracle's answers: the Kusto.Language version and the scripts' text.
    fingerprint: String,
    /// Where [`Oracle::analyze`] keeps verdicts between runs, if anywhere.
    cache: Option<PathBuf>,
}

impl Oracle {
    /// The oracle in `shared`, or why it cannot run (to print as the reason for skipping).
    fn locate(shared: &Path) -> Result<Oracle, String> {
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
        let package = std::env::var_os("KUSTO_ORACLE_DIR")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cache/kusto-oracle")))
            .map(|dir| dir.join("node_modules/@kusto/language-service-next/package.json"))
            .and_then(|file| std::fs::read_to_string(file).ok())
            .unwrap_or_default();
        let scripts: String = [script.clone(), builtins_script()]
            .iter()
            .map(|path| std::fs::read_to_string(path).unwrap_or_default())
            .collect();
        let fingerprint = hex(&Sha256::digest(format!("{package}\n{scripts}")));
        Ok(Oracle {
            shared: shared.to_path_buf(),
            script,
            fingerprint,
            cache: None,
        })
    }

    /// The oracle for a test, or `None` when the test skips: locally a missing `../shared`, Node.js or
    /// oracle package skips it (the reason is printed); under CI, which installs them, it fails the test.
    pub fn for_test() -> Option<Oracle> {
        let shared = shared_fixtures::root()?;
        Oracle::locate(&shared).map_or_else(
            |reason| {
                shared_fixtures::skip(reason);
                None
            },
            Some,
        )
    }

    /// The `../shared` this oracle belongs to (for the collections: [`corpus_cases`], ...).
    pub fn shared(&self) -> &Path {
        &self.shared
    }

    /// Keeps [`Oracle::analyze`]'s verdicts and [`Oracle::builtins`] in `dir` between runs. An answer
    /// depends only on the Kusto.Language version, the scripts, the schema and the query, which key
    /// each cached verdict.
    pub fn with_cache(mut self, dir: impl Into<PathBuf>) -> Oracle {
        self.cache = Some(dir.into());
        self
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

/// A table schema for [`Oracle::analyze`]: table name to (column name, Kusto type name), in order.
pub type Schema = BTreeMap<String, Vec<(String, String)>>;

impl Verdict {
    /// The verdict on a query Kusto.Language threw an exception on: not ok, with one error
    /// diagnostic of code `CRASH` carrying the exception.
    pub fn crashed(message: String) -> Verdict {
        Verdict {
            ok: false,
            diagnostics: vec![OracleDiagnostic {
                severity: "Error".into(),
                code: "CRASH".into(),
                message,
                start: 0,
                length: 0,
            }],
            columns: None,
        }
    }

    pub fn is_crash(&self) -> bool {
        self.diagnostics.iter().any(|d| d.code == "CRASH")
    }
}

impl OracleDiagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == "Error"
    }
}

impl Oracle {
    /// Analyses every query against `schema`, in order: cached verdicts are reused, the others are
    /// computed, spread over two processes, and added to the cache.
    pub fn analyze(&self, schema: &Schema, queries: &[String]) -> Vec<Verdict> {
        let schema_text = serde_json::to_string(schema).expect("schema as JSON");
        let key = |query: &str| {
            hex(&Sha256::digest(format!(
                "{}\n{schema_text}\n{query}",
                self.fingerprint
            )))
        };
        let cache_file = self.cache.as_ref().map(|dir| dir.join("verdicts.jsonl"));
        let mut cached: HashMap<String, Value> = HashMap::new();
        if let Some(text) = cache_file
            .as_ref()
            .and_then(|file| std::fs::read_to_string(file).ok())
        {
            for line in text.lines() {
                if let Ok(mut entry) = serde_json::from_str::<Value>(line)
                    && let Some(key) = entry["key"].as_str().map(str::to_string)
                {
                    cached.insert(key, entry["record"].take());
                }
            }
        }
        let keys: Vec<String> = queries.iter().map(|q| key(q)).collect();
        let missing: Vec<usize> = (0..queries.len())
            .filter(|&i| !cached.contains_key(&keys[i]))
            .collect();
        if !missing.is_empty() {
            let records = self.analyze_uncached(
                schema,
                &missing.iter().map(|&i| queries[i].as_str()).collect::<Vec<_>>(),
            );
            let mut appended = String::new();
            for (&index, record) in missing.iter().zip(records) {
                appended.push_str(&serde_json::json!({ "key": keys[index], "record": record }).to_string());
                appended.push('\n');
                cached.insert(keys[index].clone(), record);
            }
            if let Some(file) = &cache_file {
                // A cache that cannot be written only costs time.
                let _ = std::fs::create_dir_all(file.parent().unwrap_or(Path::new(".")));
                if let Ok(mut out) = std::fs::OpenOptions::new().create(true).append(true).open(file) {
                    let _ = out.write_all(appended.as_bytes());
                }
            }
        }
        keys.iter()
            .map(|key| match &cached[key] {
                Value::String(crash) => Verdict::crashed(crash.clone()),
                record => verdict(record),
            })
            .collect()
    }

    /// The oracle's JSON record per query (a string: the exception it threw on that query), from two
    /// processes.
    fn analyze_uncached(&self, schema: &Schema, queries: &[&str]) -> Vec<Value> {
        let tables: serde_json::Map<String, Value> = schema
            .iter()
            .map(|(table, columns)| {
                let columns: serde_json::Map<String, Value> = columns
                    .iter()
                    .map(|(name, ty)| (name.clone(), Value::from(ty.as_str())))
                    .collect();
                (table.clone(), Value::Object(columns))
            })
            .collect();
        let mut file = tempfile::NamedTempFile::new().expect("a temporary schema file");
        serde_json::to_writer(&mut file, &serde_json::json!({ "tables": tables })).expect("write the schema");
        file.flush().expect("write the schema");
        const PROCESSES: usize = 2;
        let chunk = queries.len().div_ceil(PROCESSES).max(1);
        let schema_path = file.path();
        std::thread::scope(|scope| {
            let workers: Vec<_> = queries
                .chunks(chunk)
                .map(|part| scope.spawn(move || self.analyze_in_process(schema_path, part)))
                .collect();
            workers
                .into_iter()
                .flat_map(|worker| worker.join().expect("oracle worker"))
                .collect()
        })
    }

    /// Analyses queries in one process. Kusto.Language throws on a few inputs, which ends the
    /// process: the records printed so far stand, the query it died on gets the exception, and a new
    /// process goes on with the rest.
    fn analyze_in_process(&self, schema: &Path, queries: &[&str]) -> Vec<Value> {
        let mut records: Vec<Value> = Vec::with_capacity(queries.len());
        while records.len() < queries.len() {
            let rest = &queries[records.len()..];
            let mut child = Command::new("node")
                .arg(&self.script)
                .arg("--schema")
                .arg(schema)
                .arg("--jsonl")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("the oracle starts");
            let input: String = rest
                .iter()
                .enumerate()
                .map(|(id, kql)| format!("{}\n", serde_json::json!({ "id": id.to_string(), "kql": kql })))
                .collect();
            let mut stdin = child.stdin.take().expect("stdin is piped");
            // The process may die before reading everything: a broken pipe is then expected.
            let writer = std::thread::spawn(move || {
                let _ = stdin.write_all(input.as_bytes());
            });
            let output = child.wait_with_output().expect("the oracle runs");
            writer.join().expect("writer thread");
            records.extend(
                String::from_utf8_lossy(&output.stdout)
                    .lines()
                    .filter(|line| !line.trim().is_empty())
                    .map(|line| serde_json::from_str::<Value>(line).expect("the oracle prints JSON lines")),
            );
            if output.status.success() {
                assert_eq!(
                    records.len(),
                    queries.len(),
                    "the oracle answered every query once"
                );
            } else {
                assert!(
                    records.len() < queries.len(),
                    "the oracle failed after answering every query"
                );
                let stderr = String::from_utf8_lossy(&output.stderr);
                let reason = stderr
                    .lines()
                    .find(|line| line.contains("message:") || line.contains("Error"))
                    .unwrap_or("no message")
                    .trim()
                    .to_string();
                records.push(Value::String(format!(
                    "Kusto.Language threw ({}): {reason}",
                    output.status
                )));
            }
        }
        records
    }

    /// Every built-in function, aggregate and plugin, with its signatures (cached like verdicts).
    pub fn builtins(&self) -> Builtins {
        let cache_file = self
            .cache
            .as_ref()
            .map(|dir| dir.join(format!("builtins-{}.json", &self.fingerprint[..16])));
        if let Some(builtins) = cache_file
            .as_ref()
            .and_then(|file| std::fs::read(file).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        {
            return builtins;
        }
        let output = Command::new("node")
            .arg(builtins_script())
            .output()
            .expect("run js/builtins.js");
        assert!(
            output.status.success(),
            "js/builtins.js failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let builtins = serde_json::from_slice(&output.stdout).expect("js/builtins.js prints JSON");
        if let Some(file) = cache_file {
            let _ = std::fs::create_dir_all(file.parent().unwrap_or(Path::new(".")));
            let _ = std::fs::write(file, &output.stdout);
        }
        builtins
    }
}

/// Every built-in Kusto.Language knows.
#[derive(Debug, Clone, Deserialize)]
pub struct Builtins {
    pub functions: Vec<Builtin>,
    pub aggregates: Vec<Builtin>,
    pub plugins: Vec<Builtin>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Builtin {
    pub name: String,
    /// Hidden from completion (deprecated or internal), but still accepted.
    pub hidden: bool,
    pub signatures: Vec<BuiltinSignature>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BuiltinSignature {
    /// Kusto.Language's `ReturnTypeKind` (`Declared`, `Parameter0`, `Widest`, ...).
    pub returns: String,
    pub min: usize,
    pub max: usize,
    pub parameters: Vec<Parameter>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Parameter {
    pub name: String,
    /// Kusto.Language's `ParameterTypeKind` (`Declared`, `Number`, `Scalar`, `DynamicArray`, ...).
    pub kind: String,
    /// The declared types, when `kind` is `Declared`.
    pub types: Vec<String>,
    /// Kusto.Language's `ArgumentKind` (`Expression`, `Constant`, `Literal`, `Column`, ...).
    pub argument: String,
    pub min: usize,
    pub max: usize,
    /// The values a constant parameter accepts, when Kusto.Language lists them.
    pub values: Vec<String>,
}

impl BuiltinSignature {
    /// The parameter an argument at `index` binds to, given `count` arguments (a repeatable
    /// parameter takes the surplus).
    pub fn parameter(&self, index: usize, count: usize) -> Option<&Parameter> {
        let extra = count.saturating_sub(self.parameters.iter().map(|p| p.min.max(1)).sum());
        let mut position = 0;
        for parameter in &self.parameters {
            let takes = if parameter.max > 1 {
                parameter.min.max(1) + extra
            } else {
                1
            };
            if index < position + takes {
                return Some(parameter);
            }
            position += takes;
        }
        self.parameters.last()
    }
}

fn builtins_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("js/builtins.js")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
