//! Exit statuses decided in one place, and output that cannot be written: a full disk is a clean
//! error (exit 2, never a panic), a reader that goes away (`| head`) ends the command quietly, saves
//! still happen, and temporary folders are removed on every exit path, signals included.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};

use std::time::{Duration, Instant};

use crate::{stderr, stdout, torhunt, torhunt_command};

/// A small generated fleet: (its folder, the flags to hunt or query it).
fn small_fleet() -> (tempfile::TempDir, Vec<String>) {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("fleet");
    let output = torhunt(
        &[
            "gen",
            "--out",
            out.to_str().unwrap(),
            "--devices",
            "8",
            "--events",
            "2000",
            "--days",
            "1",
            "--synthetic-relays",
            "50",
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest = torhunt_synth::read_manifest(&out).unwrap();
    let flags = crate::fleet_flags(&out, &manifest);
    (root, flags)
}

fn assert_no_panic(what: &str, output: &std::process::Output) {
    let err = stderr(output);
    assert!(
        output.status.code() != Some(101) && !err.contains("panicked"),
        "{what}: {err}"
    );
}

/// Every command that prints, with standard output on a full disk (`/dev/full`): exit 2 with the
/// reason, no panic.
#[test]
fn a_full_disk_on_standard_output_is_a_clean_error_in_every_command() {
    if !Path::new("/dev/full").exists() {
        println!("skipping: no /dev/full on this system");
        return;
    }
    let (fleet, flags) = small_fleet();
    let store = tempfile::tempdir().unwrap();
    let intel = store.path().to_str().unwrap().to_string();
    let relay_list = fleet.path().join("fleet/intel/TorRelayIPs.csv");
    let gen_out = fleet.path().join("second");
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    let mut commands: Vec<Vec<&str>> = vec![
        vec!["check", "DeviceNetworkEvents | take 1"],
        vec!["rules", "list"],
        vec!["rules", "show", "DetectTorRelayConnectivity"],
        vec!["rules", "check"],
        vec!["rules", "test"],
        vec![
            "intel",
            "--intel",
            &intel,
            "import",
            "--at",
            "2024-05-01T00:00:00Z",
            relay_list.to_str().unwrap(),
        ],
        vec!["intel", "--intel", &intel, "status"],
        vec!["intel", "--intel", &intel, "lookup", "192.0.2.1"],
        vec!["intel", "--intel", &intel, "export", "--format", "ndjson"],
        vec!["sources", flags[1]],
        vec![
            "gen",
            "--out",
            gen_out.to_str().unwrap(),
            "--devices",
            "8",
            "--events",
            "200",
            "--days",
            "1",
            "--synthetic-relays",
            "20",
        ],
    ];
    for command in ["query", "hunt"] {
        let mut args = vec![command];
        args.extend(&flags);
        args.extend(["--format", "table"]);
        if command == "query" {
            args.push("DeviceNetworkEvents | take 5");
        }
        commands.push(args);
    }
    for args in &commands {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let output = torhunt_command(args)
            .stdout(full)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let what = args[..2].join(" ");
        assert_no_panic(&what, &output);
        assert_eq!(output.status.code(), Some(2), "{what}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("writing to standard output: No space left on device"),
            "{what}: {}",
            stderr(&output)
        );
    }
    // The import whose report could not be printed was saved all the same.
    let status = torhunt(&["intel", "--intel", &intel, "status"], None);
    assert!(stdout(&status).contains("1 snapshots"), "{}", stdout(&status));
}

/// Starts `torhunt` with its own temporary folder, reading its standard output line by line.
fn spawn_reading(args: &[&str], tmp: &Path) -> (Child, BufReader<std::process::ChildStdout>) {
    let mut child = torhunt_command(args)
        .env("TMPDIR", tmp)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap());
    (child, lines)
}

fn leftovers(tmp: &Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// `| head -1`: the reader leaves after one line. The command ends quietly with status 0, an import
/// still saves, and the demo removes its temporary fleet.
#[test]
fn a_reader_that_leaves_early_ends_the_command_quietly_and_nothing_is_lost_or_left() {
    // The import needs ../shared; without it (locally) the other commands are still checked.
    let exit_lists =
        shared_fixtures::path("fixtures/tor/exit-lists-2018-11").map(|p| p.display().to_string());
    let tmp = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    let intel = store.path().to_str().unwrap();
    let mut runs: Vec<Vec<&str>> = vec![
        vec!["demo"],
        vec!["query", "--format", "ndjson", "range x from 1 to 2000000 step 1"],
    ];
    if let Some(exit_lists) = &exit_lists {
        runs.push(vec!["intel", "--intel", intel, "import", exit_lists]);
    }
    for args in &runs {
        let (child, mut lines) = spawn_reading(args, tmp.path());
        let mut first = String::new();
        lines.read_line(&mut first).unwrap();
        assert!(!first.is_empty(), "{args:?} printed nothing");
        drop(lines);
        let output = child.wait_with_output().unwrap();
        assert_no_panic(&args.join(" "), &output);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", stderr(&output));
        assert_eq!(leftovers(tmp.path()), Vec::<String>::new(), "{args:?}");
    }
    if exit_lists.is_some() {
        let status = torhunt(&["intel", "--intel", intel, "status"], None);
        assert!(stdout(&status).contains("4 snapshots"), "{}", stdout(&status));
    }
}

/// SIGINT and SIGTERM end the process with 128 + the signal and remove its temporary folders (here
/// the engine's spill folder, during a long join).
#[cfg(unix)]
#[test]
fn signals_end_the_process_and_remove_its_temporary_folders() {
    let endless = "range x from 1 to 40000 step 1 | extend k = 1 \
                   | join kind=inner (range y from 1 to 40000 step 1 | extend k = 1) on k | count";
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let tmp = tempfile::tempdir().unwrap();
        let mut child = torhunt_command(&["query", endless])
            .env("TMPDIR", tmp.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while leftovers(tmp.path()).is_empty() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no spill folder appeared"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(300));
        // SAFETY: sends a signal to the child this test started.
        #[allow(unsafe_code, reason = "std sends no signal but SIGKILL")]
        unsafe {
            libc::kill(child.id() as i32, signal)
        };
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the query did not end"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(
            status.code(),
            Some(128 + signal),
            "the query ended on its own first?"
        );
        assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
    }
}

#[test]
fn check_dash_reads_the_query_from_standard_input() {
    let output = torhunt(&["check", "-"], Some("DeviceNetworkEvents | take 1"));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("ok: <stdin>"), "{}", stdout(&output));
    let output = torhunt(&["check", "-"], Some("DeviceNetworkEvents | whre x"));
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("<stdin>:1:"), "{}", stderr(&output));
}

/// An intel document that cannot be imported is an error (exit 2), the others are still imported.
#[test]
fn a_document_that_fails_to_import_is_an_error_while_the_others_land() {
    let docs = tempfile::tempdir().unwrap();
    let good = docs.path().join("2024-05-01.tor-exit-nodes.lst");
    std::fs::write(&good, "192.0.2.10\n192.0.2.11\n").unwrap();
    let bad = docs.path().join("2024-05-02.tor-exit-nodes.lst");
    std::fs::write(&bad, "192.0.2.10\nnot-an-address\n").unwrap();
    let store = tempfile::tempdir().unwrap();
    let intel = store.path().to_str().unwrap();
    let output = torhunt(
        &[
            "intel",
            "--intel",
            intel,
            "import",
            good.to_str().unwrap(),
            bad.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("not-an-address"), "{}", stderr(&output));
    let status = torhunt(&["intel", "--intel", intel, "status"], None);
    assert!(stdout(&status).contains("1 snapshots"), "{}", stdout(&status));
}

/// `gen --out` refuses a folder that is not empty (two fleets would mix); `--force` empties it first.
#[test]
fn gen_refuses_a_non_empty_folder_unless_forced() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("fleet");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("DeviceNetworkEvents.csv"), "stale,rows\n").unwrap();
    let args = |force: bool| {
        let mut args = vec![
            "gen",
            "--out",
            out.to_str().unwrap(),
            "--devices",
            "8",
            "--events",
            "300",
            "--days",
            "1",
            "--synthetic-relays",
            "20",
        ];
        if force {
            args.push("--force");
        }
        args.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let refused = torhunt(&args(false).iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("not empty"), "{}", stderr(&refused));
    assert!(
        out.join("DeviceNetworkEvents.csv").exists(),
        "nothing was touched"
    );
    for _ in 0..2 {
        let output = torhunt(&args(true).iter().map(String::as_str).collect::<Vec<_>>(), None);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    assert!(!out.join("DeviceNetworkEvents.csv").exists());
    // Generated twice, the fleet holds its rows once.
    let manifest = torhunt_synth::read_manifest(&out).unwrap();
    let mut query = vec!["query".to_string()];
    query.extend(crate::fleet_flags(&out, &manifest));
    query.extend(["--format", "csv", "--strict", "DeviceNetworkEvents | count"].map(String::from));
    let output = torhunt(&query.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert!(output.status.success(), "{}", stderr(&output));
    let expected = manifest.rows["DeviceNetworkEvents"];
    assert_eq!(stdout(&output), format!("Count\n{expected}\n"));
}
