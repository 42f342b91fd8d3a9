//! Hostile input on the command line: shared rules and telemetry cannot read the machine's files, and
//! one broken rule file does not stop the others.

use crate::{ndjson_hunt, stderr, stdout, torhunt};

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

/// A symbolic-link loop in `--data` (the issue's 41-fold count) and in an intel import folder: every
/// file is read once and the loop is noted.
#[cfg(unix)]
#[test]
fn symbolic_link_loops_are_read_once_and_noted() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("DeviceNetworkEvents");
    std::fs::create_dir(&data).unwrap();
    let mut text = String::from("Timestamp,DeviceName,ActionType\n");
    for row in 0..200 {
        text.push_str(&format!("2024-05-01T10:00:00Z,pc{row},ConnectionSuccess\n"));
    }
    std::fs::write(data.join("export.csv"), text).unwrap();
    std::os::unix::fs::symlink(&data, data.join("loop")).unwrap();
    let output = torhunt(
        &[
            "query",
            "--data",
            dir.path().to_str().unwrap(),
            "--format",
            "csv",
            "DeviceNetworkEvents | count",
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "Count\n200\n");
    assert!(
        stderr(&output).contains("loop is a folder already met"),
        "{}",
        stderr(&output)
    );

    let docs = tempfile::tempdir().unwrap();
    std::fs::write(docs.path().join("2024-05-01.tor-exit-nodes.lst"), "192.0.2.1\n").unwrap();
    std::os::unix::fs::symlink(docs.path(), docs.path().join("again")).unwrap();
    let store = tempfile::tempdir().unwrap();
    let output = torhunt(
        &[
            "intel",
            "--intel",
            store.path().to_str().unwrap(),
            "import",
            docs.path().to_str().unwrap(),
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output).matches("imported").count(),
        1,
        "{}",
        stdout(&output)
    );
    assert!(stderr(&output).contains("read once"), "{}", stderr(&output));
}

/// Two `intel import`s into one store at the same time: the second waits for the first's save, so
/// both snapshots land (without the lock one was lost in every trial).
#[test]
fn concurrent_imports_both_land() {
    let docs = tempfile::tempdir().unwrap();
    let list = |day: u32| {
        let path = docs.path().join(format!("2024-05-{day:02}.tor-exit-nodes.lst"));
        let text: String = (0..20_000)
            .map(|i| format!("10.{}.{}.{}\n", day, i / 256, i % 256))
            .collect();
        std::fs::write(&path, text).unwrap();
        path
    };
    let (first, second) = (list(1), list(2));
    for _ in 0..3 {
        let store = tempfile::tempdir().unwrap();
        let intel = store.path().to_str().unwrap();
        let import = |path: &std::path::Path| {
            crate::torhunt_command(&["intel", "--intel", intel, "import", path.to_str().unwrap()])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (import(&first), import(&second));
        for child in [a, b] {
            let output = child.wait_with_output().unwrap();
            assert!(output.status.success(), "{}", stderr(&output));
        }
        let status = torhunt(&["intel", "--intel", intel, "status"], None);
        assert!(stdout(&status).contains("2 snapshots"), "{}", stdout(&status));
    }
}

/// A consensus cut in half is refused (exit 2) and the store keeps no partial network: a relay of the
/// missing half is "unknown", never "not a Tor relay" on the strength of half a document.
#[test]
fn a_consensus_cut_in_half_is_refused() {
    let Some(full) = shared_fixtures::path("fixtures/tor/consensus-2022-11-19-1000.txt") else {
        return;
    };
    let text = std::fs::read(&full).unwrap();
    let docs = tempfile::tempdir().unwrap();
    let half = docs.path().join("consensus-half");
    // Cut at a line break, so that every line left is whole: only the missing footer tells.
    let cut = text[..text.len() / 2].iter().rposition(|&b| b == b'\n').unwrap() + 1;
    std::fs::write(&half, &text[..cut]).unwrap();
    let store = tempfile::tempdir().unwrap();
    let intel = store.path().to_str().unwrap();
    let output = torhunt(
        &["intel", "--intel", intel, "import", half.to_str().unwrap()],
        None,
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("cut short"), "{}", stderr(&output));
    let status = torhunt(&["intel", "--intel", intel, "status"], None);
    assert!(stdout(&status).contains("0 snapshots"), "{}", stdout(&status));
}

/// A rule folder with a broken YAML document, a duplicate id, a "rule" that is `/dev/zero` and a link
/// back to itself: each broken document is reported on stderr, the good rule still runs and raises
/// its alert, and the exit status says a rule failed (2, not 1).
#[cfg(unix)]
#[test]
fn broken_rule_documents_are_reported_while_the_others_run() {
    let rules = tempfile::tempdir().unwrap();
    let good = "id: every-connection\nname: Every connection\nseverity: High\nquery: |\n  DeviceNetworkEvents\n  | take 1\n";
    std::fs::write(rules.path().join("a-good.yaml"), good).unwrap();
    std::fs::write(rules.path().join("b-duplicate.yaml"), good).unwrap();
    std::fs::write(
        rules.path().join("broken.yaml"),
        "name: Broken\nquery: [unclosed\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("/dev/zero", rules.path().join("zero.yaml")).unwrap();
    std::os::unix::fs::symlink(rules.path(), rules.path().join("loop")).unwrap();
    let output = torhunt(
        &[
            "hunt",
            "--rules",
            rules.path().to_str().unwrap(),
            "--data",
            "crates/torhunt/tests/data/seed",
            "--now",
            "2024-05-02T00:00:00Z",
            "--format",
            "ndjson",
        ],
        None,
    );
    let errors = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{errors}");
    assert_eq!(
        ndjson_hunt(&stdout(&output)).0.len(),
        1,
        "the good rule's alert: {}",
        stdout(&output)
    );
    assert!(
        stdout(&output).contains("every-connection"),
        "{}",
        stdout(&output)
    );
    for expected in [
        "broken.yaml: not a valid rule YAML document",
        "zero.yaml: larger than 4 MiB, the limit for a rule file",
        "rule id `every-connection` is defined twice",
        "loop is a folder already met",
    ] {
        assert!(errors.contains(expected), "{expected}: {errors}");
    }
    assert_eq!(errors.matches("rule not loaded").count(), 3, "{errors}");

    // `rules list` lists the good rule and fails the same way.
    let output = torhunt(
        &["rules", "--rules", rules.path().to_str().unwrap(), "list"],
        None,
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("every-connection"),
        "{}",
        stdout(&output)
    );
}

/// `--timeout` bounds a query that would run for hours (the issue's "no way to bound it"): it fails
/// with a timeout error and exit status 2, and in a hunt the other rules still report.
#[test]
fn queries_and_hunts_stop_at_the_timeout() {
    let endless = "range x from 1 to 100000000000 step 1 | summarize count()";
    let output = torhunt(&["query", "--timeout", "1s", "--format", "csv", endless], None);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("ran past its 1s time limit (--timeout)"),
        "{}",
        stderr(&output)
    );
    assert_eq!(stdout(&output), "count_\n", "the header only, no cut-off count");

    let rules = tempfile::tempdir().unwrap();
    std::fs::write(
        rules.path().join("endless.yaml"),
        format!("id: endless\nname: Endless\nseverity: High\nquery: |\n  {endless}\n"),
    )
    .unwrap();
    let output = torhunt(
        &[
            "hunt",
            "--rules",
            rules.path().to_str().unwrap(),
            "--timeout",
            "1s",
            "--format",
            "ndjson",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("rule endless failed"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("ran past its 1s time limit"),
        "{}",
        stderr(&output)
    );
}

/// Every file under `dir`, however deep.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() => files_under(&entry.path()),
            _ => vec![entry.path()],
        })
        .collect()
}

/// The issue's per-row dynamic regex (a pattern compiled for each of millions of rows, which ran for
/// minutes), and a sort spilling to disk: `--timeout` stops the first (and the second, unless its
/// in-memory merge reaches `--memory-limit` first) with its error and exit status 2, and the temporary
/// folder holds nothing of the query afterwards.
#[test]
fn a_long_query_is_stopped_by_the_timeout_and_its_spill_files_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let regex = "range x from 1 to 100000000 step 1 \
                 | where extract(strcat('(', x % 100000, ')+$'), 1, tostring(x)) != '' | count";
    let output = crate::torhunt_command(&["query", "--timeout", "2s", "--format", "csv", regex])
        .env("TMPDIR", tmp.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("ran past its 2s time limit (--timeout)"),
        "{}",
        stderr(&output)
    );
    assert_eq!(files_under(tmp.path()), Vec::<std::path::PathBuf>::new());

    let sort = "range x from 1 to 1000000000 step 1 | extend s = strcat('row ', x) | order by s desc";
    let mut child = crate::torhunt_command(&[
        "query",
        // The first spill file comes within about a second (debug build, idle machine); 10 s leaves room
        // for a loaded one. 256 MiB, not less: under 64 MiB DataFusion's sort of two partitions ran out of
        // memory merging its runs (its merge reservations cannot spill) before the deadline.
        "--timeout",
        "10s",
        "--memory-limit",
        "256M",
        "--format",
        "csv",
        sort,
    ])
    .env("TMPDIR", tmp.path())
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let mut spilled = false;
    while child.try_wait().unwrap().is_none() {
        spilled |= !files_under(tmp.path()).is_empty();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    // Stopped either way, the spill files must go. Which stop comes first depends on the machine's
    // speed: DataFusion merges a sorter's buffered runs in memory before writing each spill file, and
    // that merge cannot spill, so on a fast machine it may pass the limit before the deadline.
    assert!(
        stderr(&output).contains("time limit")
            || stderr(&output).contains("needs more memory than allowed (--memory-limit)"),
        "{}",
        stderr(&output)
    );
    assert!(spilled, "the sort wrote no spill file before it was stopped");
    assert_eq!(files_under(tmp.path()), Vec::<std::path::PathBuf>::new());
}

/// `--timeout` is one budget for the whole command: in a hunt, a rule that starts after an earlier
/// rule spent it fails at once, however quick it is.
#[test]
fn the_timeout_is_one_budget_for_the_whole_hunt() {
    let rules = tempfile::tempdir().unwrap();
    let rule = |file: &str, id: &str, query: &str| {
        std::fs::write(
            rules.path().join(file),
            format!("id: {id}\nname: {id}\nseverity: High\nquery: |\n  {query}\n"),
        )
        .unwrap();
    };
    rule(
        "a-endless.yaml",
        "endless",
        "range x from 1 to 100000000000 step 1 | summarize count()",
    );
    rule("b-quick.yaml", "quick", "range x from 1 to 3 step 1");
    let output = torhunt(
        &[
            "hunt",
            "--rules",
            rules.path().to_str().unwrap(),
            "--timeout",
            "1s",
            "--format",
            "ndjson",
        ],
        None,
    );
    let errors = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{errors}");
    for id in ["endless", "quick"] {
        assert!(errors.contains(&format!("rule {id} failed")), "{id}: {errors}");
    }
    assert_eq!(
        errors.matches("ran past its 1s time limit").count(),
        2,
        "{errors}"
    );
    let (alerts, summary) = ndjson_hunt(&stdout(&output));
    assert!(alerts.is_empty(), "{}", stdout(&output));
    let failed: Vec<&serde_json::Value> = summary["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|rule| rule["status"] == "failed")
        .collect();
    assert_eq!(failed.len(), 2, "{summary}");
    assert!(
        failed[0]["reason"]
            .as_str()
            .unwrap()
            .contains("ran past its 1s time limit")
    );
}

/// The issue's "1 bad line → 4 malformed records": a hunt scans a file once per rule, and its one
/// broken line is still reported once.
#[test]
fn a_hunt_reports_a_broken_line_once_whatever_the_number_of_rules() {
    let data = tempfile::tempdir().unwrap();
    let record = |id: u32| {
        format!(
            r#"{{"time":"2024-05-01T10:00:00Z","tenantId":"t1","category":"AdvancedHunting-DeviceNetworkEvents","properties":{{"ReportId":{id},"Timestamp":"2024-05-01T09:59:00Z","RemotePort":{id}}}}}"#
        )
    };
    std::fs::write(
        data.path().join("stream.json"),
        format!("{}\n{{\"broken\n{}\n", record(1), record(2)),
    )
    .unwrap();
    let rules = tempfile::tempdir().unwrap();
    for port in 1..=4 {
        std::fs::write(
            rules.path().join(format!("port-{port}.yaml")),
            format!(
                "id: port-{port}\nname: Port {port}\nseverity: High\nquery: |\n  \
                 DeviceNetworkEvents | where RemotePort == {port}\n"
            ),
        )
        .unwrap();
    }
    let output = torhunt(
        &[
            "hunt",
            "--rules",
            rules.path().to_str().unwrap(),
            "--data",
            data.path().to_str().unwrap(),
            "--now",
            "2024-05-02T00:00:00Z",
            "--format",
            "ndjson",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let (alerts, summary) = ndjson_hunt(&stdout(&output));
    assert_eq!(alerts.len(), 2, "{}", stdout(&output));
    // The run summary counts the malformed record once (under no table: a line that is not JSON names
    // none), with its file and line.
    let tables = summary["data"]["tables"].as_array().unwrap();
    let malformed: Vec<&serde_json::Value> = tables.iter().filter(|t| t["malformed"] != 0).collect();
    assert_eq!(malformed.len(), 1, "{summary}");
    assert_eq!(malformed[0]["malformed"], 1, "{summary}");
    let file = &malformed[0]["malformed_files"][0];
    assert!(file["file"].as_str().unwrap().ends_with("stream.json"), "{file}");
    let reason = file["reasons"][0].as_str().unwrap();
    assert!(reason.starts_with("line 2: "), "{reason}");
    let errors = stderr(&output);
    assert!(errors.contains(": 1 malformed record(s) skipped"), "{errors}");
    assert_eq!(
        errors.matches("malformed record(s) skipped").count(),
        1,
        "{errors}"
    );
}
