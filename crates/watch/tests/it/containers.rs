//! A fleet delivered every few hours into the Streaming API's containers on a real Azurite (append
//! blobs growing block by block, records arriving hours late in later hours' blobs, two blobs
//! rewritten) and the same files into a local folder. One table's container is kept in a local
//! folder beside the containers, so one watcher reads storage URLs and a folder together. A new
//! watcher each cycle restarts from the state. The containers' watcher writes every alert once, and
//! the same alerts as the folder's watcher.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use azurite::{Azurite, line_blocks};
use torhunt_storage::{Environment, StorageSettings, Stores};
use torhunt_synth::arrival::Arrival;
use torhunt_watch::{CycleReport, State, Watch};

use crate::fleet::{Fleet, HOUR_NANOS, alerts, fleet};

/// Append blocks: small, so an hour's blob is written in several.
const BLOCK_BYTES: usize = 4096;
/// Hours between cycles.
const STEP_HOURS: i64 = 3;

/// Where the fleet is delivered.
struct Destinations {
    azurite: Azurite,
    /// Every file, for the folder's watcher.
    folder: tempfile::TempDir,
    /// The files of `local_container`, for the containers' watcher.
    beside: tempfile::TempDir,
    /// The table's container the containers' watcher reads from a local folder.
    local_container: String,
    /// Blobs created so far (by path under the telemetry folder).
    created: BTreeSet<PathBuf>,
}

impl Destinations {
    fn write(&mut self, arrival: &Arrival, lines: &[String]) {
        arrival.append_to(self.folder.path(), lines).unwrap();
        let (container, key) = container_and_key(&arrival.relative);
        if container == self.local_container {
            arrival.append_to(self.beside.path(), lines).unwrap();
            return;
        }
        let bytes = lines.concat();
        let blocks = line_blocks(bytes.as_bytes(), BLOCK_BYTES);
        if self.created.insert(arrival.relative.clone()) {
            self.azurite.append_blob(&container, &key, &blocks);
        } else {
            self.azurite.append(&container, &key, &blocks);
        }
    }

    /// Delivers what arrived by `now_hour`: the rest of `half_written` (the hour left half written
    /// last cycle), the hours since whole, and the first half of `now_hour`'s.
    fn deliver(&mut self, fleet: &Fleet, half_written: i64, now_hour: i64) {
        for (arrival, lines) in fleet.arriving(half_written, false) {
            self.write(arrival, lines);
        }
        let mut hour = half_written + HOUR_NANOS;
        while hour < now_hour {
            for first_half in [true, false] {
                for (arrival, lines) in fleet.arriving(hour, first_half) {
                    self.write(arrival, lines);
                }
            }
            hour += HOUR_NANOS;
        }
        for (arrival, lines) in fleet.arriving(now_hour, true) {
            self.write(arrival, lines);
        }
    }

    /// Rewrites a complete blob, and its copy in the folder, with `lines`. Returns the copy's path
    /// and the blob's URL.
    fn rewrite(&self, arrival: &Arrival, lines: &[String]) -> (PathBuf, PathBuf) {
        let text = lines.concat();
        let copy = self.folder.path().join(&arrival.relative);
        std::fs::write(&copy, &text).unwrap();
        let (container, key) = container_and_key(&arrival.relative);
        // Creating an append blob over an existing one replaces it.
        self.azurite
            .append_blob(&container, &key, &line_blocks(text.as_bytes(), BLOCK_BYTES));
        (copy, PathBuf::from(format!("az://{container}/{key}")))
    }
}

/// The container (first folder) and the blob key (the rest) of a path in the storage layout.
fn container_and_key(relative: &Path) -> (String, String) {
    let mut parts = relative.iter().map(|p| p.to_string_lossy().into_owned());
    let container = parts.next().unwrap();
    (container, parts.collect::<Vec<_>>().join("/"))
}

fn run_cycle(runtime: &tokio::runtime::Runtime, watch: Watch, now: i64) -> CycleReport {
    let mut state = State::load(&watch.state_dir).unwrap();
    let report = runtime.block_on(watch.cycle(&mut state, now)).unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert!(report.lost.is_empty(), "{:?}", report.lost);
    for rule in &report.rules {
        assert_eq!(rule.blocked, None, "{}", rule.rule_id);
    }
    report
}

fn alert_ids(path: &Path) -> BTreeSet<String> {
    let written = alerts(path);
    let ids: BTreeSet<String> = written
        .iter()
        .map(|a| a["alert_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids.len(),
        written.len(),
        "{}: an alert was written twice",
        path.display()
    );
    ids
}

// Not a `tokio::test`: Azurite is written to with blocking requests, which may not run inside a
// runtime; the cycles run on one of their own.
#[test]
fn containers_growing_block_by_block_give_the_folders_alerts_once() {
    let Some(azurite) = Azurite::start() else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let fleet = fleet();
    let containers: BTreeSet<String> = fleet
        .arrivals
        .iter()
        .map(|a| container_and_key(&a.relative).0)
        .collect();
    let local_container = containers
        .iter()
        .find(|c| c.ends_with("-deviceinfo"))
        .expect("a DeviceInfo container")
        .clone();
    let mut roots = Vec::new();
    for container in containers.iter().filter(|c| **c != local_container) {
        azurite.create_container(container);
        roots.push(PathBuf::from(format!("az://{container}")));
    }
    let settings = StorageSettings {
        env: Environment::from_vars(azurite.emulator_env()),
        ..StorageSettings::default()
    };
    let mut destinations = Destinations {
        azurite,
        folder: tempfile::tempdir().unwrap(),
        beside: tempfile::tempdir().unwrap(),
        local_container,
        created: BTreeSet::new(),
    };
    roots.push(destinations.beside.path().to_path_buf());
    let folder_state = tempfile::tempdir().unwrap();
    let containers_state = tempfile::tempdir().unwrap();
    let folder_output = folder_state.path().join("alerts.ndjson");
    let containers_output = containers_state.path().join("alerts.ndjson");
    let folder = destinations.folder.path().to_path_buf();
    let watchers = || {
        (
            fleet.watch(&folder, folder_state.path(), Some(folder_output.clone()), None),
            fleet.watch_roots(
                roots.clone(),
                Stores::new(settings.clone()),
                containers_state.path(),
                Some(containers_output.clone()),
                None,
            ),
        )
    };

    // Complete blobs of the first hours, of containers on Azurite: one rewritten at the third cycle
    // with its lines in reverse order (the same size and records, other bytes: only the blob's
    // watcher can tell), one at the fifth with its first line left out (shorter: both can).
    let (first, last) = fleet.hours();
    let complete_blob = |hour: i64| {
        fleet
            .arrivals
            .iter()
            .find(|a| {
                a.hour * 1_000_000_000 == hour
                    && container_and_key(&a.relative).0 != destinations.local_container
                    && a.lines.len() >= 2
                    && a.lines.first() != a.lines.last()
            })
            .expect("a blob of several records")
            .clone()
    };
    let reordered = complete_blob(first);
    let shortened = complete_blob(first + HOUR_NANOS);
    let mut half_written = first;
    for (arrival, lines) in fleet.arriving(first, true) {
        destinations.write(arrival, lines);
    }
    let mut now_hour = first + STEP_HOURS * HOUR_NANOS;
    let mut cycle = 0;
    let mut rewrites = 0;
    while half_written <= last {
        destinations.deliver(&fleet, half_written, now_hour);
        // What each watcher must find replaced: (folder, containers).
        let (folder_replaced, containers_replaced) = match cycle {
            2 => {
                let reversed: Vec<String> = reordered.lines.iter().rev().cloned().collect();
                let (_, url) = destinations.rewrite(&reordered, &reversed);
                (Vec::new(), vec![url])
            }
            4 => {
                let (copy, url) = destinations.rewrite(&shortened, &shortened.lines[1..]);
                (vec![copy], vec![url])
            }
            _ => (Vec::new(), Vec::new()),
        };
        rewrites += containers_replaced.len();
        let now = now_hour + 5 * 60_000_000_000;
        let (folder_watch, containers_watch) = watchers();
        let folder_report = run_cycle(&runtime, folder_watch, now);
        let containers_report = run_cycle(&runtime, containers_watch, now);
        assert_eq!(folder_report.replaced, folder_replaced, "cycle {cycle}");
        assert_eq!(
            containers_report.replaced, containers_replaced,
            "cycle {cycle}: blobs that grew by appended blocks are read on, rewritten ones again"
        );
        assert!(containers_report.new_bytes > 0, "cycle {cycle} found nothing new");
        half_written = now_hour;
        now_hour += STEP_HOURS * HOUR_NANOS;
        cycle += 1;
    }
    assert_eq!(rewrites, 2, "the fleet ended before the blobs were rewritten");

    // Nothing new: nothing is read again.
    let (_, containers_watch) = watchers();
    let idle = run_cycle(&runtime, containers_watch, now_hour);
    assert_eq!(idle.new_bytes, 0);
    assert!(idle.alerts.is_empty());

    let folder_ids = alert_ids(&folder_output);
    let containers_ids = alert_ids(&containers_output);
    assert!(!folder_ids.is_empty());
    assert_eq!(
        containers_ids, folder_ids,
        "the containers' watcher and the folder's wrote different alerts"
    );
}
