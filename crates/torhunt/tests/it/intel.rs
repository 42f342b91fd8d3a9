//! `torhunt intel`: importing directories of real Tor documents and answering lookups.

use crate::{stderr, stdout, torhunt};

#[test]
fn importing_a_directory_takes_its_documents_in_name_order_and_skips_the_rest() {
    let Some(exit_lists) = shared_fixtures::path("fixtures/tor/exit-lists-2018-11") else {
        return;
    };
    let store = tempfile::tempdir().unwrap();
    let intel = store.path().to_str().unwrap();
    let output = torhunt(
        &["intel", "--intel", intel, "import", exit_lists.to_str().unwrap()],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    // Four TorDNSEL lists, imported oldest first.
    let imported: Vec<String> = stdout(&output)
        .lines()
        .filter(|l| l.contains("imported"))
        .map(String::from)
        .collect();
    assert_eq!(imported.len(), 4, "{imported:?}");
    assert!(imported[0].contains("2018-11-01-00-02-01") && imported[3].contains("2018-11-02-01-02-01"));
    // A README beside the documents is skipped, not an error.
    let docs = tempfile::tempdir().unwrap();
    std::fs::copy(
        exit_lists.join("2018-11-01-00-02-01"),
        docs.path().join("2018-11-01-00-02-01"),
    )
    .unwrap();
    std::fs::write(docs.path().join("README.md"), "# notes\n").unwrap();
    let output = torhunt(
        &["intel", "--intel", intel, "import", docs.path().to_str().unwrap()],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("README.md: not a recognised Tor document"),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("already imported"),
        "{}",
        stdout(&output)
    );
}
