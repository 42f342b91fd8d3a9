//! Syntax errors, file-driven: each `tests/cases/errors/NAME.kql` must fail to parse, with the kind and
//! position its snapshot `NAME.txt` shows. A new `.kql` file is a new test. The snapshot is the error as
//! the CLI renders it (code, message, `NAME.kql:line:column`, source line, caret, help); rendering is the
//! CLI's, so `torhunt`'s `diagnostics` tests compare the whole text and write missing or changed
//! snapshots with `UPDATE_SNAPSHOTS=1`.

use std::path::{Path, PathBuf};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/errors")
}

#[test]
fn errors_have_the_kind_and_position_of_their_snapshots() {
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
        let diagnostic = match kql_syntax::parse(&source) {
            Ok(_) => {
                failures.push(format!("{name}: parsed, but an error was expected"));
                continue;
            }
            Err(mut diagnostics) => diagnostics.remove(0),
        };
        let snapshot = std::fs::read_to_string(path.with_extension("txt")).unwrap_or_default();
        let code = diagnostic.kind.code();
        let (line, column) = diagnostic.line_column(&source);
        let place = format!("[{name}:{line}:{column}]");
        if snapshot.lines().next() != Some(code) || !snapshot.contains(&place) {
            failures.push(format!(
                "{name}: {code} at {place}: {}\nsnapshot\n{snapshot}",
                diagnostic.message
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
