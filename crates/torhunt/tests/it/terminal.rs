//! Text from files never drives the terminal: control characters in file names, values and skip
//! reasons are shown escaped; data formats keep values exactly.

use crate::{stderr, stdout, torhunt};

const ESC: char = '\u{1b}';

#[test]
fn control_characters_from_files_are_escaped_on_the_terminal_and_kept_in_data_formats() {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("fleet{ESC}[2J\nforged line.csv");
    let path = dir.path().join(&name);
    let evil = format!("evil{ESC}]0;owned\u{7}");
    std::fs::write(
        &path,
        format!(
            "Timestamp,DeviceName,ActionType\n\
             2024-05-01T10:00:00Z,{evil},ConnectionSuccess\n\
             {ESC}[31m,bad,ConnectionSuccess\n"
        ),
    )
    .unwrap();
    let mapping = format!("DeviceNetworkEvents={}", path.display());
    let raw = |text: &str| text.contains(ESC) || text.contains('\u{7}');

    let sources = torhunt(&["sources", "--table", &mapping], None);
    assert!(sources.status.success(), "{}", stderr(&sources));
    let shown = format!("{}{}", stdout(&sources), stderr(&sources));
    assert!(!raw(&shown), "{shown:?}");
    assert!(shown.contains("fleet\\u{1b}[2J\\nforged line.csv"), "{shown}");

    let query = [
        "query",
        "--table",
        &mapping,
        "DeviceNetworkEvents | project DeviceName",
    ];
    let table = torhunt(&[&query[..3], &["--format", "table"], &query[3..]].concat(), None);
    assert!(table.status.success(), "{}", stderr(&table));
    let shown = format!("{}{}", stdout(&table), stderr(&table));
    assert!(!raw(&shown), "{shown:?}");
    assert!(shown.contains("evil\\u{1b}]0;owned\\u{7}"), "{shown}");
    // The malformed Timestamp's reason quotes the value, escaped.
    assert!(stderr(&table).contains("\\u{1b}[31m"), "{}", stderr(&table));

    let csv = torhunt(&[&query[..3], &["--format", "csv"], &query[3..]].concat(), None);
    assert!(csv.status.success(), "{}", stderr(&csv));
    assert!(
        stdout(&csv).contains(&evil),
        "CSV keeps the value: {:?}",
        stdout(&csv)
    );
}
