//! `torhunt watch`: SIGKILL at random points of cycles loses and repeats no alert; SIGTERM finishes
//! the cycle and saves the state; the webhook gets every alert though its first calls fail;
//! `--status` shows where each rule stands; containers on a real Azurite give the alerts of the same
//! files in a folder; a second watcher on one state folder is refused until the first has ended.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use azurite::Azurite;
use torhunt_synth::arrival::{Arrival, Lateness, by_arrival};
use torhunt_synth::{FleetConfig, Layout, Manifest, SplitMix64, generate};

use crate::{import_relays, stderr, stdout, torhunt, torhunt_command};

#[path = "../../../watch/tests/it/receiver.rs"]
mod receiver;

const HOUR: i64 = 3600;

/// A one-day fleet in the Storage layout, re-filed by arrival hour with every fourth record three
/// hours late, its intel store, and an empty folder to deliver it into.
struct Delivery {
    root: tempfile::TempDir,
    manifest: Manifest,
    arrivals: Vec<Arrival>,
    data: PathBuf,
    store: PathBuf,
}

fn delivery() -> Delivery {
    let root = tempfile::tempdir().unwrap();
    let config = FleetConfig {
        devices: 7,
        network_events: 200,
        days: 1,
        synthetic_relays: 20,
        ..FleetConfig::default()
    };
    let manifest = generate(&config, Layout::Storage, &root.path().join("fleet")).unwrap();
    let lateness = Lateness {
        every: 4,
        report_ids: manifest.planted.iter().step_by(2).map(|p| p.report_id).collect(),
        delay_hours: 3,
    };
    let arrivals = by_arrival(
        &root.path().join("fleet").join(&manifest.telemetry_dir),
        &lateness,
    )
    .unwrap();
    let data = root.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let store = root.path().join("intel");
    import_relays(&store, &root.path().join("fleet").join(&manifest.relay_list));
    Delivery {
        root,
        manifest,
        arrivals,
        data,
        store,
    }
}

impl Delivery {
    /// Writes the records arriving in `[from, to)` (seconds) into the data folder.
    fn deliver(&self, from: i64, to: i64) {
        for arrival in self.arrivals.iter().filter(|a| from <= a.hour && a.hour < to) {
            arrival.append_to(&self.data, &arrival.lines).unwrap();
        }
    }

    fn hours(&self) -> (i64, i64) {
        let hours = self.arrivals.iter().map(|a| a.hour);
        (hours.clone().min().unwrap(), hours.max().unwrap())
    }

    /// `torhunt watch` flags for this fleet with a state folder and output beside it.
    fn args(&self, name: &str) -> Vec<String> {
        let at = |p: &Path| p.display().to_string();
        vec![
            "watch".into(),
            "--data".into(),
            at(&self.data),
            "--state".into(),
            at(&self.root.path().join(name)),
            "--output".into(),
            at(&self.output(name)),
            "--intel".into(),
            at(&self.store),
            "--externaldata".into(),
            format!(
                "{}={}",
                self.manifest.relay_list_url,
                self.root
                    .path()
                    .join("fleet")
                    .join(&self.manifest.relay_list)
                    .display()
            ),
        ]
    }

    fn output(&self, name: &str) -> PathBuf {
        self.root.path().join(format!("{name}.ndjson"))
    }
}

fn once_at(args: &[String], now: i64) -> Vec<String> {
    let mut args = args.to_vec();
    args.push("--once".into());
    args.push("--now".into());
    args.push(chrono::DateTime::from_timestamp(now, 0).unwrap().to_rfc3339());
    args
}

fn alert_ids(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|line| {
            let alert: serde_json::Value = serde_json::from_str(line).unwrap();
            alert["alert_id"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn sigkill_at_random_points_of_cycles_loses_and_repeats_no_alert() {
    let fleet = delivery();
    let (first, last) = fleet.hours();
    let reference = fleet.args("reference");
    let killed = fleet.args("killed");
    let mut rng = SplitMix64::new(17);
    let mut kills = 0;
    let mut delivered_to = first;
    // A cycle every four hours, until the last late record has arrived.
    let mut now = first + 4 * HOUR;
    while delivered_to <= last {
        fleet.deliver(delivered_to, now);
        delivered_to = now;
        let args = |a: &[String]| once_at(a, now + 300);
        let started = Instant::now();
        let clean = torhunt(
            &args(&reference).iter().map(String::as_str).collect::<Vec<_>>(),
            None,
        );
        assert!(matches!(clean.status.code(), Some(0 | 1)), "{}", stderr(&clean));
        let cycle_time = started.elapsed();
        // A kill at a random point of this cycle, then a run to its end.
        {
            let mut child = torhunt_command(&args(&killed).iter().map(String::as_str).collect::<Vec<_>>())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let fraction = rng.below(100) as f64 / 100.0;
            std::thread::sleep(cycle_time.mul_f64(fraction));
            if child.try_wait().unwrap().is_none() {
                child.kill().unwrap();
                kills += 1;
            }
            child.wait().unwrap();
        }
        let finished = torhunt(
            &args(&killed).iter().map(String::as_str).collect::<Vec<_>>(),
            None,
        );
        assert!(
            matches!(finished.status.code(), Some(0 | 1)),
            "{}",
            stderr(&finished)
        );
        now += 4 * HOUR;
    }
    assert!(kills > 0, "no run was killed");
    let expected = alert_ids(&fleet.output("reference"));
    let written = alert_ids(&fleet.output("killed"));
    let unique: BTreeSet<&String> = written.iter().collect();
    assert_eq!(unique.len(), written.len(), "an alert was written twice");
    assert!(!expected.is_empty());
    assert_eq!(
        unique,
        expected.iter().collect::<BTreeSet<_>>(),
        "the killed watcher's alerts differ from an undisturbed one's"
    );

    let status = torhunt(
        &[
            "watch",
            "--status",
            "--state",
            fleet.root.path().join("killed").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(status.status.code(), Some(0), "{}", stderr(&status));
    let text = stdout(&status);
    assert!(text.contains("tor-client-process: every 01:00:00"), "{text}");
    assert!(text.contains("26be4a5f-7e6f-4c2e-967d-467bddcbb51a"), "{text}");
    assert!(text.contains("by windows"), "{text}");
}

#[test]
fn sigterm_finishes_the_cycle_and_saves_the_state() {
    let fleet = delivery();
    let (first, last) = fleet.hours();
    fleet.deliver(first, last + HOUR);
    let mut args = fleet.args("running");
    args.extend(["--poll".to_string(), "100ms".to_string()]);
    let mut child = torhunt_command(&args.iter().map(String::as_str).collect::<Vec<_>>())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let status_line = lines
        .by_ref()
        .map(|line| line.unwrap())
        .find(|line| line.starts_with("watch "))
        .expect("a status line per cycle");
    assert!(status_line.contains("alert(s)"), "{status_line}");
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let rest: Vec<String> = lines.map(|line| line.unwrap()).collect();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(143), "{rest:?}");
    assert!(
        rest.iter().any(|l| l.contains("stopping after this cycle")),
        "{rest:?}"
    );
    let shown = torhunt(
        &[
            "watch",
            "--status",
            "--state",
            fleet.root.path().join("running").to_str().unwrap(),
        ],
        None,
    );
    assert!(
        stdout(&shown).contains(" cycle(s), last at "),
        "{}",
        stdout(&shown)
    );
    assert!(!alert_ids(&fleet.output("running")).is_empty());
}

#[test]
fn the_webhook_gets_every_alert_though_its_first_calls_fail() {
    let fleet = delivery();
    let (first, last) = fleet.hours();
    fleet.deliver(first, last + HOUR);
    let server = receiver::receiver(2);
    let mut args = once_at(&fleet.args("hooked"), last + 2 * HOUR);
    args.extend([
        "--webhook".to_string(),
        server.url.clone(),
        "--webhook-backoff".to_string(),
        "10ms".to_string(),
    ]);
    let run = torhunt(&args.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("delivered, 0 pending, 0 dead-lettered"),
        "{}",
        stderr(&run)
    );
    let posted: Vec<String> = server
        .accepted
        .lock()
        .unwrap()
        .iter()
        .map(|body| {
            let alert: serde_json::Value = serde_json::from_str(body).unwrap();
            alert["alert_id"].as_str().unwrap().to_string()
        })
        .collect();
    let written = alert_ids(&fleet.output("hooked"));
    assert!(!written.is_empty());
    assert_eq!(posted, written);
    assert_eq!(*server.calls.lock().unwrap(), written.len() + 2);

    let bad = torhunt(
        &[
            "watch",
            "--data",
            "nowhere",
            "--state",
            "x",
            "--now",
            "2024-05-01T00:00:00Z",
        ],
        None,
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("use it with --once"), "{}", stderr(&bad));
}

#[test]
fn containers_on_azurite_give_the_alert_ids_of_the_same_files_in_a_folder() {
    let Some(azurite) = Azurite::start() else {
        return;
    };
    let fleet = delivery();
    let (first, last) = fleet.hours();
    fleet.deliver(first, last + HOUR);
    // The folder holds one Streaming API container per table.
    let mut containers = Vec::new();
    for entry in std::fs::read_dir(&fleet.data).unwrap() {
        let folder = entry.unwrap().path();
        let container = folder.file_name().unwrap().to_string_lossy().into_owned();
        azurite.create_container(&container);
        azurite.upload_folder(&container, "", &folder, 4096);
        containers.push(container);
    }
    containers.sort();
    assert!(containers.len() >= 2, "{containers:?}");
    let now = last + 2 * HOUR;
    let folder = once_at(&fleet.args("folder"), now);
    let folder_run = torhunt(&folder.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert!(
        matches!(folder_run.status.code(), Some(0 | 1)),
        "{}",
        stderr(&folder_run)
    );
    // The same flags with one az:// URL per container instead of the folder.
    let folder_args = fleet.args("containers");
    assert_eq!(folder_args[1], "--data");
    let mut args = vec![folder_args[0].clone()];
    for container in &containers {
        args.extend(["--data".to_string(), format!("az://{container}")]);
    }
    args.extend(folder_args[3..].iter().cloned());
    let containers_run = crate::azure::run(&once_at(&args, now), &azurite.emulator_env());
    assert!(
        matches!(containers_run.status.code(), Some(0 | 1)),
        "{}",
        stderr(&containers_run)
    );
    let expected = alert_ids(&fleet.output("folder"));
    let written = alert_ids(&fleet.output("containers"));
    assert!(!expected.is_empty());
    assert_eq!(
        written.iter().collect::<BTreeSet<_>>().len(),
        written.len(),
        "an alert was written twice"
    );
    assert_eq!(
        written.iter().collect::<BTreeSet<_>>(),
        expected.iter().collect::<BTreeSet<_>>()
    );
}

/// Text with its line breaks, indentation and the error frame's characters taken out: the error
/// handler wraps long messages to the terminal's width.
fn unwrapped(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '│' | '×' | '╰' | '─' | '├'))
        .collect()
}

#[test]
fn a_second_watcher_on_one_state_folder_is_refused_until_the_first_is_killed() {
    let fleet = delivery();
    let (first, _) = fleet.hours();
    fleet.deliver(first, first + 3 * HOUR);
    let args = fleet.args("locked");
    let state = fleet.root.path().join("locked");
    let mut running = args.clone();
    // Sleeps between cycles, holding the state folder.
    running.extend(["--poll".to_string(), "1h".to_string()]);
    let mut first_watcher = torhunt_command(&running.iter().map(String::as_str).collect::<Vec<_>>())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(first_watcher.stderr.take().unwrap()).lines();
    lines
        .by_ref()
        .map(|line| line.unwrap())
        .find(|line| line.starts_with("watch "))
        .expect("the first watcher's status line");
    // Drained so the first watcher never blocks writing to a full pipe.
    let drain = std::thread::spawn(move || lines.for_each(drop));

    let second = once_at(&args, first + 4 * HOUR);
    let second: Vec<&str> = second.iter().map(String::as_str).collect();
    let refused = torhunt(&second, None);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    let message = unwrapped(&stderr(&refused));
    assert!(
        message.contains(&unwrapped(&state.display().to_string())),
        "{}",
        stderr(&refused)
    );
    assert!(
        message.contains(&format!("pid{}", first_watcher.id())),
        "{}",
        stderr(&refused)
    );
    // Reading where rules stand needs no lock.
    let status = torhunt(&["watch", "--status", "--state", state.to_str().unwrap()], None);
    assert_eq!(status.status.code(), Some(0), "{}", stderr(&status));

    // SIGKILL: the OS releases the lock with the process.
    first_watcher.kill().unwrap();
    first_watcher.wait().unwrap();
    drain.join().unwrap();
    let after = torhunt(&second, None);
    assert!(matches!(after.status.code(), Some(0 | 1)), "{}", stderr(&after));
}
