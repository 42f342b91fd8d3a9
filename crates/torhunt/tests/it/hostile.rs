//! Hostile input on the command line: shared rules and telemetry cannot read the machine's files, and
//! one broken rule file does not stop the others.

use crate::{stderr, stdout, torhunt};

/// A shared rule that reads a local file through `externaldata` (the issue's `/etc/shadow` case) is
/// skipped with the reason; nothing of the file reaches the alerts. `--allow-files` opens the folder.
#[test]
fn a_shared_rule_cannot_read_local_files_without_allow_files() {
    let rules = tempfile::tempdir().unwrap();
    let secret_dir = tempfile::tempdir().unwrap();
    let secret = secret_dir.path().join("secret.txt");
    std::fs::write(&secret, "root:$6$hash:19000\n").unwrap();
    std::fs::write(
        rules.path().join("leak.yaml"),
        format!(
            "id: leak\nname: Leak\nseverity: High\nalertTitle: '{{{{Line}}}}'\nquery: |\n  \
             externaldata (Line:string) ['file://{}'] with (format='txt')\n",
            secret.display()
        ),
    )
    .unwrap();
    let hunt = |extra: &[&str]| {
        let mut args = vec![
            "hunt",
            "--rules",
            rules.path().to_str().unwrap(),
            "--data",
            "crates/torhunt/tests/data/seed",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        torhunt(&args, None)
    };
    let output = hunt(&[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!stdout(&output).contains("root:"), "{}", stdout(&output));
    assert!(stdout(&output).contains("--allow-files"), "{}", stdout(&output));

    let output = hunt(&["--allow-files", secret_dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stdout(&output).contains("root:$6$hash"), "{}", stdout(&output));
}
