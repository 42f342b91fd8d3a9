//! Rendered syntax errors, file-driven: each `tests/cases/errors/NAME.kql` must fail to parse, and its
//! rendering (message, `NAME.kql:line:column`, source line, caret, help) must equal `NAME.txt`. A new
//! `.kql` file is a new test; `UPDATE_SNAPSHOTS=1` writes missing or changed `.txt` files for review.

use std::path::{Path, PathBuf};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/errors")
}

#[test]
fn rendered_errors_match_their_snapshots() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/cases/errors exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "kql"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no .kql cases found");
    let mut failures = Vec::new();
    for path in paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 file name")
            .to_string();
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let rendered = match kql_syntax::parse(&source) {
            Ok(_) => {
                failures.push(format!("{name}: parsed, but an error was expected"));
                continue;
            }
            Err(diagnostics) => diagnostics[0].render(&name, &source, false),
        };
        let snapshot = path.with_extension("txt");
        let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
        if rendered != expected {
            if update {
                std::fs::write(&snapshot, &rendered)
                    .unwrap_or_else(|e| panic!("{}: {e}", snapshot.display()));
            } else {
                failures.push(format!("{name}: rendered\n{rendered}\nexpected\n{expected}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
