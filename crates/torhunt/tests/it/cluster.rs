//! `torhunt query|hunt --cluster`: on an in-process Ballista cluster (a scheduler and two executors on
//! 127.0.0.1), the same output as local execution, byte for byte, except the order of a hunt's alerts
//! within a rule: a rule without `sort` has no row order (in Kusto neither), and the cluster's tasks
//! finish in their own order.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use torhunt_intel::Store;
use torhunt_synth::{FleetConfig, Layout, Manifest, generate};

use crate::azure::{Uploaded, run, succeeded};
use crate::{fleet_flags, stderr, stdout, torhunt, torhunt_command};

/// The cluster the tests share, answering relay intel from an empty store, as the tests' client does
/// (`torhunt_command` points it at a store that does not exist).
fn cluster_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| torhunt_cluster::process::spawn_local(2, 2, Arc::new(Store::default())).unwrap())
}

/// What a cluster run may print differently from a local one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MayDiffer {
    Nothing,
    /// The work the prefilter saved for queries with joins: rows read and records skipped unparsed (in
    /// the run summary and the stderr notes). Locally a hash join hands its build side's keys to the
    /// scan of its probe side, which skips records without them; on a cluster the scan runs in
    /// another task and reads them (docs/cluster.md). Files, malformed records and answers still agree.
    JoinPrefilterWork,
}

/// Runs `torhunt` locally and on the cluster with the same arguments; both must succeed or find, with
/// the same status, standard output and error output (the read report), but for what `may_differ`
/// allows.
fn same_locally_and_on_cluster(args: &[&str], may_differ: MayDiffer) -> String {
    let local = torhunt(args, None);
    let mut clustered: Vec<&str> = args.to_vec();
    clustered.extend(["--cluster", cluster_url()]);
    let remote = torhunt(&clustered, None);
    assert!(
        local.status.code().is_some_and(|c| c <= 1),
        "{args:?}: {}",
        stderr(&local)
    );
    assert_eq!(
        remote.status.code(),
        local.status.code(),
        "{args:?}: {}",
        stderr(&remote)
    );
    assert_eq!(
        comparable_output(&stdout(&remote), may_differ),
        comparable_output(&stdout(&local), may_differ),
        "{args:?}"
    );
    let notes = |output: &std::process::Output| -> Vec<String> {
        stderr(output)
            .lines()
            .filter(|line| may_differ == MayDiffer::Nothing || !line.contains("skipped unparsed"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(notes(&remote), notes(&local), "{args:?}");
    stdout(&local)
}

/// A hunt's JSON report with its alerts sorted by their whole text (rules, then rows, in one order),
/// without what `may_differ` allows; any other output unchanged.
fn comparable_output(output: &str, may_differ: MayDiffer) -> String {
    let Ok(mut report) = serde_json::from_str::<serde_json::Value>(output) else {
        return output.to_string();
    };
    if let Some(alerts) = report.get_mut("alerts").and_then(|a| a.as_array_mut()) {
        alerts.sort_by_cached_key(|alert| alert.to_string());
    }
    if may_differ == MayDiffer::JoinPrefilterWork
        && let Some(tables) = report
            .pointer_mut("/run/data/tables")
            .and_then(|t| t.as_array_mut())
    {
        for table in tables.iter_mut().filter_map(|t| t.as_object_mut()) {
            table.remove("rows_scanned");
            table.remove("skipped_unparsed");
            table.remove("messages_skipped_unparsed");
        }
    }
    serde_json::to_string_pretty(&report).unwrap()
}

fn fleet(root: &Path, layout: Layout) -> Manifest {
    generate(&FleetConfig::default(), layout, root).unwrap()
}

#[test]
fn hunt_and_queries_print_the_same_on_the_cluster() {
    let root = tempfile::tempdir().unwrap();
    let manifest = fleet(root.path(), Layout::EventHub);
    let flags = fleet_flags(root.path(), &manifest);
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();

    // Every shipped rule, the two founding rules among them.
    let hunt: Vec<&str> = [&["hunt", "--format", "json"][..], &flags].concat();
    let alerts = same_locally_and_on_cluster(&hunt, MayDiffer::JoinPrefilterWork);
    assert!(alerts.contains("\"rule_id\""), "{alerts}");

    for (format, query) in [
        (
            "table",
            "DeviceNetworkEvents | summarize n = count() by DeviceName, RemotePort | order by DeviceName, RemotePort",
        ),
        (
            "json",
            "DeviceProcessEvents | where FileName =~ \"tor.exe\" | project Timestamp, DeviceName, ProcessCommandLine | order by Timestamp",
        ),
        (
            "csv",
            "DeviceInfo | summarize arg_max(Timestamp, PublicIP) by DeviceId | order by DeviceId",
        ),
    ] {
        let query_args: Vec<&str> = [&["query", "--format", format][..], &flags, &[query]].concat();
        let printed = same_locally_and_on_cluster(&query_args, MayDiffer::Nothing);
        assert!(printed.lines().count() > 2, "{query}: {printed}");
    }
}

/// Malformed records, a file still being written and records skipped unparsed are reported by a
/// cluster run as by a local one: the same lines on stderr (file, line, reason), and a hunt's run
/// summary lists the same tables read, each broken line counted once however many rules read it.
#[test]
fn the_read_report_is_the_local_one_on_the_cluster() {
    let data = tempfile::tempdir().unwrap();
    let record = |id: u32| {
        format!(
            r#"{{"time":"2024-05-01T10:00:00Z","tenantId":"t1","category":"AdvancedHunting-DeviceNetworkEvents","properties":{{"ReportId":{id},"Timestamp":"2024-05-01T09:59:00Z","RemotePort":{}}}}}"#,
            id % 6
        )
    };
    let mut stream: String = (1..=40).map(|id| format!("{}\n", record(id))).collect();
    for line in 0..7 {
        stream.push_str(&format!("{{\"broken {line}\n"));
    }
    std::fs::write(data.path().join("stream.json"), stream).unwrap();
    std::fs::write(
        data.path().join("being-written.json"),
        format!("{}\n{{\"time\":\"2024-05-01T1", record(50)),
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
    let data = data.path().to_str().unwrap();
    let hunt = same_locally_and_on_cluster(
        &[
            "hunt",
            "--rules",
            rules.path().to_str().unwrap(),
            "--data",
            data,
            "--now",
            "2024-05-02T00:00:00Z",
            "--format",
            "json",
        ],
        MayDiffer::Nothing,
    );
    let report: serde_json::Value = serde_json::from_str(&hunt).unwrap();
    let tables = report["run"]["data"]["tables"].as_array().unwrap();
    let malformed: u64 = tables.iter().map(|t| t["malformed"].as_u64().unwrap()).sum();
    assert_eq!(malformed, 7, "{hunt}");
    let rows: u64 = tables.iter().map(|t| t["rows_scanned"].as_u64().unwrap()).sum();
    assert!(rows > 0, "{hunt}");
    same_locally_and_on_cluster(
        &["query", "--data", data, "DeviceNetworkEvents | count"],
        MayDiffer::Nothing,
    );
    let local = torhunt(&["query", "--data", data, "DeviceNetworkEvents | count"], None);
    let notes = stderr(&local);
    assert!(notes.contains("7 malformed record(s) skipped"), "{notes}");
    assert_eq!(notes.matches("\n  line ").count(), 5, "{notes}");
    assert!(notes.contains("incomplete last record at line 2"), "{notes}");
}

/// `torhunt convert`'s Parquet, read through DataFusion's `ParquetSource` with each partition's row
/// groups as a byte range of the file: every shipped rule (the founding rules among them) and queries
/// give the local answers on the cluster, each row read once (the manifest's row counts).
#[test]
fn converted_parquet_answers_the_same_on_the_cluster() {
    let root = tempfile::tempdir().unwrap();
    let manifest = fleet(root.path(), Layout::EventHub);
    let typed = root.path().join("typed");
    let telemetry = root.path().join(&manifest.telemetry_dir);
    let converted = torhunt(
        &[
            "convert",
            "--data",
            telemetry.to_str().unwrap(),
            "--out",
            typed.to_str().unwrap(),
        ],
        None,
    );
    assert!(converted.status.success(), "{}", stderr(&converted));
    let mut flags = fleet_flags(root.path(), &manifest);
    flags[1] = typed.display().to_string();
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();

    let hunt: Vec<&str> = [&["hunt", "--format", "json"][..], &flags].concat();
    let alerts = same_locally_and_on_cluster(&hunt, MayDiffer::JoinPrefilterWork);
    assert!(alerts.contains("\"rule_id\""), "{alerts}");
    for table in ["DeviceNetworkEvents", "DeviceProcessEvents", "DeviceInfo"] {
        let query = format!("{table} | count");
        let args: Vec<&str> = [&["query", "--format", "csv"][..], &flags, &[query.as_str()]].concat();
        let printed = same_locally_and_on_cluster(&args, MayDiffer::Nothing);
        assert_eq!(
            printed.lines().last().map(str::trim),
            Some(manifest.rows[table].to_string().as_str()),
            "{table}: {printed}"
        );
    }
    let query = "DeviceNetworkEvents | where RemotePort in (9001, 9030) | summarize n = count() by DeviceName | order by DeviceName";
    let args: Vec<&str> = [&["query", "--format", "csv"][..], &flags, &[query]].concat();
    assert!(
        same_locally_and_on_cluster(&args, MayDiffer::Nothing)
            .lines()
            .count()
            > 1
    );
}

#[test]
fn an_unreachable_scheduler_fails_the_command_naming_it() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("df://127.0.0.1:{port}");
    let output = torhunt(&["query", "--cluster", &url, "print 1"], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(&format!(
            "--cluster: cannot reach the Ballista scheduler at {url}"
        )),
        "{}",
        stderr(&output)
    );
}

/// A cluster process of a test, killed when dropped; its standard error goes to `log`.
struct Process {
    child: std::process::Child,
    log: PathBuf,
}

impl Process {
    /// Starts `torhunt args` with `env` as its only Azure settings (the developer's own are removed).
    fn start(args: &[&str], env: &[(String, String)], log: PathBuf) -> Process {
        let mut command = torhunt_command(args);
        for (name, _) in std::env::vars() {
            if name.starts_with("AZURE_") || name.starts_with("AZURITE_") {
                command.env_remove(name);
            }
        }
        let child = command
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        Process { child, log }
    }

    /// Waits until the process accepts connections on `port` (it has started its services).
    fn wait_for(&mut self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                self.child.try_wait().unwrap().is_none(),
                "exited: {}",
                self.log_text()
            );
            assert!(
                Instant::now() < deadline,
                "port {port} not open in 60 s: {}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// CPU time used so far, in clock ticks (user and system, from /proc).
    fn cpu_ticks(&self) -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // The fields after the command name (which may hold spaces) start at the state, field 3; utime
        // and stime are fields 14 and 15.
        let fields: Vec<u64> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().map(|f| f.parse().unwrap_or(0)).collect())
            .unwrap_or_default();
        fields
            .get(11)
            .zip(fields.get(12))
            .map_or(0, |(user, system)| user + system)
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Kills the process (SIGKILL) and waits for it to end; its log stays.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A cluster of `torhunt cluster` child processes on 127.0.0.1: a scheduler and two executors running
/// one task at a time, with `env` added to their environment; logs in `dir`.
struct ChildCluster {
    scheduler: Process,
    executors: Vec<Process>,
    /// Each executor's temporary folder (its `TMPDIR`), where it writes its shuffle output.
    executor_temp_dirs: Vec<PathBuf>,
    url: String,
}

impl ChildCluster {
    fn start(dir: &Path, executor_timeout_secs: u64, env: &[(String, String)]) -> ChildCluster {
        let port = free_port();
        let address = format!("127.0.0.1:{port}");
        let timeout = executor_timeout_secs.to_string();
        let mut scheduler = Process::start(
            &[
                "cluster",
                "scheduler",
                "--bind",
                &address,
                "--executor-timeout",
                &timeout,
            ],
            env,
            dir.join("scheduler.log"),
        );
        scheduler.wait_for(port);
        let executor_temp_dirs: Vec<PathBuf> =
            (0..2).map(|i| dir.join(format!("executor-{i}-tmp"))).collect();
        let executors = executor_temp_dirs
            .iter()
            .enumerate()
            .map(|(i, temp_dir)| {
                std::fs::create_dir(temp_dir).unwrap();
                let mut env = env.to_vec();
                env.push(("TMPDIR".to_string(), temp_dir.display().to_string()));
                let flight = free_port();
                let mut executor = Process::start(
                    &[
                        "cluster",
                        "executor",
                        "--scheduler",
                        &address,
                        "--bind",
                        &format!("127.0.0.1:{flight}"),
                        "--concurrent-tasks",
                        "1",
                    ],
                    &env,
                    dir.join(format!("executor-{i}.log")),
                );
                executor.wait_for(flight);
                executor
            })
            .collect();
        ChildCluster {
            scheduler,
            executors,
            executor_temp_dirs,
            url: format!("df://{address}"),
        }
    }

    /// Every process's log, each under its file's name.
    fn logs(&self) -> String {
        std::iter::once(&self.scheduler)
            .chain(&self.executors)
            .map(|process| format!("\n--- {} ---\n{}", process.log.display(), process.log_text()))
            .collect()
    }
}

/// When a test kills one of the cluster's executors during a query.
#[derive(Debug, Clone, Copy)]
enum KillPoint {
    /// Once it has worked 0.3 s of CPU since the query started: usually in the middle of a scan task.
    Working,
    /// 0.1 s after it wrote a scan task's shuffle output (Arrow files in its temporary folder): the
    /// task is done and reported, and the next stage's tasks still need that output.
    HoldingShuffleOutput,
}

impl KillPoint {
    /// Waits for the point among `cluster`'s executors (CPU ticks `idle` before the query) and
    /// returns the executor to kill; fails if `client` ends first.
    fn wait(self, cluster: &ChildCluster, idle: &[u64], client: &mut std::process::Child) -> usize {
        let reached = |i: usize| match self {
            KillPoint::Working => cluster.executors[i].cpu_ticks() >= idle[i] + 30,
            KillPoint::HoldingShuffleOutput => holds_arrow_file(&cluster.executor_temp_dirs[i]),
        };
        let victim = loop {
            if let Some(i) = (0..cluster.executors.len()).find(|&i| reached(i)) {
                break i;
            }
            assert!(
                client.try_wait().unwrap().is_none(),
                "the query ended before the kill point {self:?}: the test needs more telemetry"
            );
            std::thread::sleep(Duration::from_millis(10));
        };
        if let KillPoint::HoldingShuffleOutput = self {
            std::thread::sleep(Duration::from_millis(100));
        }
        victim
    }
}

/// Whether an Arrow file is anywhere under `dir`.
fn holds_arrow_file(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|entry| {
            let path = entry.path();
            if path.is_dir() {
                holds_arrow_file(&path)
            } else {
                path.extension().is_some_and(|e| e == "arrow")
            }
        })
}

/// Kills (SIGKILL) an executor of a child-process cluster at `kill_point` of a query: the scheduler
/// notices the missing heartbeats and runs its tasks, and those whose output it held, on the other
/// executor; the query prints exactly what it prints locally (its read report on stderr too) within a
/// bounded time.
fn a_killed_executor_s_work_runs_again(kill_point: KillPoint) {
    let root = tempfile::tempdir().unwrap();
    // Enough telemetry that a task reads for a few seconds (a debug build), so the kill lands mid-task.
    let config = FleetConfig {
        network_events: 40_000,
        devices: 40,
        ..FleetConfig::default()
    };
    let manifest = generate(&config, Layout::EventHub, root.path()).unwrap();
    let data = root.path().join(&manifest.telemetry_dir).display().to_string();
    // A broken line, for the read report to carry through the lost tasks.
    let mut folders = vec![root.path().join(&manifest.telemetry_dir)];
    let telemetry_file = loop {
        let folder = folders.pop().expect("a telemetry file");
        let entries: Vec<PathBuf> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        match entries
            .iter()
            .find(|p| p.extension().is_some_and(|e| e == "json"))
        {
            Some(file) => break file.clone(),
            None => folders.extend(entries.into_iter().filter(|p| p.is_dir())),
        }
    };
    let mut text = std::fs::read_to_string(&telemetry_file).unwrap();
    text.push_str("{\"broken\n");
    std::fs::write(&telemetry_file, text).unwrap();
    let query = "DeviceNetworkEvents | summarize n = count(), Remotes = dcount(RemoteIP) by DeviceName \
                 | order by DeviceName";
    let args = [
        "query",
        "--format",
        "csv",
        "--no-prefilter",
        "--threads",
        "4",
        "--data",
        &data,
        query,
    ];
    let local = torhunt(&args, None);
    assert_eq!(local.status.code(), Some(0), "{}", stderr(&local));
    assert!(stdout(&local).lines().count() > 10, "{}", stdout(&local));

    // Ballista's account of the executor's loss and of the tasks run again, for a failure to show.
    let log_levels = [(
        "RUST_LOG".to_string(),
        "warn,ballista_scheduler=debug,ballista_executor=info".to_string(),
    )];
    let mut cluster = ChildCluster::start(root.path(), 10, &log_levels);
    let idle: Vec<u64> = cluster.executors.iter().map(Process::cpu_ticks).collect();
    let mut clustered = args.to_vec();
    clustered.extend(["--cluster", &cluster.url]);
    let mut client = torhunt_command(&clustered)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let victim = kill_point.wait(&cluster, &idle, &mut client);
    cluster.executors[victim].kill();
    let killed_at = Instant::now();

    // The client's output is read on a thread, so a hang shows as a missed deadline, not a stuck test.
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || sender.send(client.wait_with_output()));
    let output = receiver
        .recv_timeout(Duration::from_secs(120))
        .unwrap_or_else(|_| panic!("no answer 120 s after the kill: {}", cluster.logs()))
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "the query failed instead of running the lost tasks again: {}{}",
        stderr(&output),
        cluster.logs()
    );
    assert_eq!(stdout(&output), stdout(&local));
    assert!(
        stderr(&local).contains("1 malformed record(s) skipped"),
        "{}",
        stderr(&local)
    );
    assert_eq!(stderr(&output), stderr(&local));
    println!("answered {:?} after the kill", killed_at.elapsed());
}

#[cfg(target_os = "linux")]
#[test]
fn a_killed_executor_s_tasks_run_again_elsewhere_and_the_answer_is_exact() {
    a_killed_executor_s_work_runs_again(KillPoint::Working);
}

/// The executor that wrote a finished task's shuffle output is lost while the next stage needs it: the
/// finished task runs again, and the stage reading its output after it.
#[cfg(target_os = "linux")]
#[test]
fn a_killed_executor_s_shuffle_output_is_computed_again_and_the_answer_is_exact() {
    a_killed_executor_s_work_runs_again(KillPoint::HoldingShuffleOutput);
}

/// Telemetry in Azure Blob Storage (Azurite): the client lists the blobs, the executors read them with
/// their own credentials (the emulator's, from their environment), and the answers are the local ones.
/// Executors without credentials fail the query, saying so; the client's are never sent.
#[test]
fn executors_read_telemetry_in_blob_storage_with_their_own_credentials() {
    let Some(fleet) = Uploaded::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let emulator = fleet.azurite.emulator_env();
    let cluster = ChildCluster::start(dir.path(), 20, &emulator);
    let query = "union withsource=T DeviceNetworkEvents, DeviceProcessEvents, DeviceInfo \
                 | summarize n = count(), first = min(Timestamp), last = max(Timestamp) by T | sort by T asc";
    let args = |flags: Vec<String>| -> Vec<String> {
        ["query", "--format", "csv"]
            .iter()
            .map(|s| s.to_string())
            .chain(flags)
            .chain([query.to_string()])
            .collect()
    };
    let local = succeeded(&run(&args(fleet.local()), &[]));
    let mut remote = args(fleet.remote(|c| format!("az://{c}")));
    remote.extend(["--cluster".to_string(), cluster.url.clone()]);
    let output = run(&remote, &emulator);
    assert_eq!(succeeded(&output), local, "{}", cluster.logs());
    assert!(local.lines().count() == 4, "{local}");

    let bare = dir.path().join("without-credentials");
    std::fs::create_dir(&bare).unwrap();
    let account = [(
        "AZURE_STORAGE_ACCOUNT_NAME".to_string(),
        azurite::ACCOUNT.to_string(),
    )];
    let without_credentials = ChildCluster::start(&bare, 20, &account);
    let last = remote.len() - 1;
    remote[last] = without_credentials.url.clone();
    let output = run(&remote, &emulator);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    // The diagnostic as one line (the terminal renderer wraps it in a frame).
    let message = stderr(&output)
        .split_whitespace()
        .filter(|word| *word != "│")
        .collect::<Vec<_>>()
        .join(" ");
    assert!(message.contains("no credentials for Azure storage"), "{message}");
    assert!(
        message.contains("az://insights-logs-advancedhunting-"),
        "{message}"
    );
}

/// `torhunt --version` names the build a cluster's processes must share (the version alone does not
/// tell two builds apart).
#[test]
fn the_version_names_the_build() {
    let output = torhunt(&["--version"], None);
    assert_eq!(stdout(&output), format!("torhunt {}\n", torhunt_cluster::BUILD));
    assert!(torhunt_cluster::BUILD.starts_with(&format!("{} (build ", env!("CARGO_PKG_VERSION"))));
}
