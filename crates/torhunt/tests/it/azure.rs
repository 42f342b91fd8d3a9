//! `--data` in Azure Blob Storage, against a real Azurite started by each test: a `torhunt gen` fleet
//! uploaded in the Streaming API's storage layout (one container per table, append blobs written in
//! several blocks) gives exactly the answers of the same files read locally, through every URL form
//! and every credential Azurite can check (emulator variables, account key, connection string, SAS token
//! in the URL or the environment); the bad cases fail clearly, never with a partial result.

use std::path::Path;
use std::process::Output;

use azurite::{Azurite, Fault, FaultProxy, RequestHead};
use serde_json::Value;
use tempfile::TempDir;
use torhunt_synth::{FleetConfig, Layout, Manifest, generate};

use crate::{fleet_flags, rule_query, stderr, stdout, torhunt_command};

/// Blocks of the uploaded append blobs: small, so every hour's blob is written in several.
const BLOCK_BYTES: usize = 4096;

/// A generated fleet, on disk and uploaded to Azurite.
pub(crate) struct Uploaded {
    root: TempDir,
    manifest: Manifest,
    pub(crate) azurite: Azurite,
    /// One per table, `insights-logs-advancedhunting-<table>`.
    containers: Vec<String>,
}

impl Uploaded {
    pub(crate) fn start() -> Option<Uploaded> {
        let azurite = Azurite::start()?;
        let root = tempfile::tempdir().unwrap();
        let manifest = generate(&FleetConfig::default(), Layout::Storage, root.path()).unwrap();
        let telemetry = root.path().join(&manifest.telemetry_dir);
        let mut containers = Vec::new();
        for entry in std::fs::read_dir(&telemetry).unwrap() {
            let folder = entry.unwrap().path();
            let container = folder.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                container.starts_with("insights-logs-advancedhunting-"),
                "{container}"
            );
            azurite.create_container(&container);
            azurite.upload_folder(&container, "", &folder, BLOCK_BYTES);
            containers.push(container);
        }
        containers.sort();
        assert!(containers.len() >= 2, "{containers:?}");
        Some(Uploaded {
            root,
            manifest,
            azurite,
            containers,
        })
    }

    /// The flags of a run over the local copy.
    pub(crate) fn local(&self) -> Vec<String> {
        fleet_flags(self.root.path(), &self.manifest)
    }

    /// The flags of a run over `url_of(container)` for every container, otherwise as [`Self::local`].
    pub(crate) fn remote(&self, url_of: impl Fn(&str) -> String) -> Vec<String> {
        self.remote_of(|_| true, url_of)
    }

    /// [`Self::remote`] over the containers `take` keeps.
    fn remote_of(&self, take: impl Fn(&str) -> bool, url_of: impl Fn(&str) -> String) -> Vec<String> {
        let mut flags: Vec<String> = self
            .containers
            .iter()
            .filter(|c| take(c))
            .flat_map(|c| ["--data".to_string(), url_of(c)])
            .collect();
        let local = self.local();
        // Everything but the local `--data` (its first two arguments).
        assert_eq!(local[0], "--data");
        flags.extend(local[2..].iter().cloned());
        flags
    }
}

/// Runs torhunt with `args` and only the given Azure environment (the developer's own is removed).
pub(crate) fn run(args: &[String], env: &[(String, String)]) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut command = torhunt_command(&args);
    for (name, _) in std::env::vars() {
        if name.starts_with("AZURE_") || name.starts_with("AZURITE_") {
            command.env_remove(name);
        }
    }
    command.envs(env.iter().map(|(k, v)| (k, v)));
    command.output().expect("torhunt runs")
}

fn with(command: &[&str], flags: &[String], extra: &[&str]) -> Vec<String> {
    command
        .iter()
        .map(|s| s.to_string())
        .chain(flags.iter().cloned())
        .chain(extra.iter().map(|s| s.to_string()))
        .collect()
}

/// A query's CSV output, header first, its rows in order (a query without `sort` has no row order).
fn unordered(csv: String) -> Vec<String> {
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    if lines.len() > 1 {
        lines[1..].sort();
    }
    lines
}

pub(crate) fn succeeded(output: &Output) -> String {
    assert!(
        output.status.code() == Some(0) || output.status.code() == Some(1),
        "exit {:?}: {}",
        output.status.code(),
        stderr(output)
    );
    stdout(output)
}

/// The founding queries and a count of every table, as CSV.
fn founding_queries() -> Vec<String> {
    vec![
        rule_query(
            "rules/tor-connection-established.md",
            Some("Defender for Endpoint"),
        ),
        rule_query("rules/detect-tor-relay-connectivity.yaml", None),
        "union withsource=T DeviceNetworkEvents, DeviceProcessEvents, DeviceInfo \
         | summarize n = count(), first = min(Timestamp), last = max(Timestamp) by T | sort by T asc"
            .to_string(),
    ]
}

/// `hunt --format json`'s alerts and skipped rules.
fn hunt(flags: &[String], env: &[(String, String)], intel: &Path) -> (Value, Value) {
    let output = run(
        &with(
            &["hunt"],
            flags,
            &["--intel", intel.to_str().unwrap(), "--format", "json"],
        ),
        env,
    );
    let document: Value =
        serde_json::from_str(&succeeded(&output)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&output)));
    let mut alerts = document["alerts"].as_array().expect("alerts").clone();
    alerts.sort_by_key(Value::to_string);
    (Value::Array(alerts), document["skipped"].clone())
}

#[test]
fn founding_rules_and_hunt_give_the_local_answers_through_every_url_form() {
    let Some(fleet) = Uploaded::start() else { return };
    let intel = tempfile::tempdir().unwrap();
    let local = fleet.local();
    let emulator = fleet.azurite.emulator_env();
    let endpoint = fleet.azurite.account_url();
    let account_key = vec![(
        "AZURE_STORAGE_ACCOUNT_KEY".to_string(),
        azurite::ACCOUNT_KEY.to_string(),
    )];
    let sas = fleet
        .azurite
        .account_sas("rl", chrono::Utc::now() + chrono::Duration::hours(1));
    // (what, flags, environment)
    type Form<'a> = (&'a str, Vec<String>, Vec<(String, String)>);
    let forms: Vec<Form> = vec![
        (
            "az:// with the emulator's variables",
            fleet.remote(|c| format!("az://{c}")),
            emulator.clone(),
        ),
        (
            "abfss:// with an account key",
            fleet
                .remote(|c| format!("abfss://{c}@{}.dfs.core.windows.net/", azurite::ACCOUNT))
                .into_iter()
                .chain(["--azure-endpoint".to_string(), endpoint.clone()])
                .collect(),
            account_key,
        ),
        (
            "https:// with a SAS token in the URL",
            fleet
                .remote(|c| format!("https://{}.blob.core.windows.net/{c}?{sas}", azurite::ACCOUNT))
                .into_iter()
                .chain(["--azure-endpoint".to_string(), endpoint.clone()])
                .collect(),
            Vec::new(),
        ),
        (
            "az:// with Azurite's connection string",
            fleet.remote(|c| format!("az://{c}")),
            vec![(
                "AZURE_STORAGE_CONNECTION_STRING".to_string(),
                format!(
                    "DefaultEndpointsProtocol=http;AccountName={};AccountKey={};BlobEndpoint={endpoint};",
                    azurite::ACCOUNT,
                    azurite::ACCOUNT_KEY
                ),
            )],
        ),
        (
            "az:// with a SAS token from AZURE_STORAGE_SAS_TOKEN",
            fleet
                .remote(|c| format!("az://{c}"))
                .into_iter()
                .chain(["--azure-endpoint".to_string(), endpoint.clone()])
                .collect(),
            vec![
                ("AZURE_STORAGE_SAS_TOKEN".to_string(), sas.clone()),
                (
                    "AZURE_STORAGE_ACCOUNT_NAME".to_string(),
                    azurite::ACCOUNT.to_string(),
                ),
            ],
        ),
    ];

    let (local_alerts, local_skipped) = hunt(&local, &[], intel.path());
    assert!(
        local_alerts.as_array().is_some_and(|a| !a.is_empty()),
        "the fleet has alerts"
    );
    let local_rows: Vec<Vec<String>> = founding_queries()
        .iter()
        .map(|q| {
            unordered(succeeded(&run(
                &with(&["query"], &local, &["--format", "csv", "--strict", q]),
                &[],
            )))
        })
        .collect();
    assert!(local_rows.iter().all(|rows| rows.len() > 1), "{local_rows:?}");

    for (what, flags, env) in &forms {
        let (alerts, skipped) = hunt(flags, env, intel.path());
        assert_eq!(alerts, local_alerts, "{what}: hunt's alerts");
        assert_eq!(skipped, local_skipped, "{what}: hunt's skipped rules");
        for (query, expected) in founding_queries().iter().zip(&local_rows) {
            let output = run(
                &with(&["query"], flags, &["--format", "csv", "--strict", query]),
                env,
            );
            assert_eq!(&unordered(succeeded(&output)), expected, "{what}: {query}");
            let err = stderr(&output);
            assert!(
                !err.contains("sig="),
                "{what}: the SAS token is never printed: {err}"
            );
        }
    }

    // `sources` counts the same rows per table, naming blobs by their URLs.
    let table_lines = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with(' '))
            .map(|l| l.split(", ").take(2).collect::<Vec<_>>().join(", "))
            .collect()
    };
    let local_sources = succeeded(&run(&with(&["sources"], &local[1..2], &[]), &[]));
    let remote_args: Vec<String> = fleet.containers.iter().map(|c| format!("az://{c}")).collect();
    let remote_sources = succeeded(&run(&with(&["sources"], &remote_args, &[]), &emulator));
    assert_eq!(table_lines(&remote_sources), table_lines(&local_sources));
    assert!(
        remote_sources.contains("az://insights-logs-advancedhunting-devicenetworkevents/tenantId="),
        "{remote_sources}"
    );
}

/// Whether a request lists the container (and under which prefix, and whether by folder).
fn listing(head: &RequestHead) -> Option<(String, bool)> {
    if !head.target.contains("comp=list") {
        return None;
    }
    let query = head.target.split_once('?').map_or("", |(_, q)| q);
    let field = |name: &str| {
        query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key == name).then(|| {
                percent_encoding::percent_decode_str(value)
                    .decode_utf8_lossy()
                    .into_owned()
            })
        })
    };
    Some((field("prefix").unwrap_or_default(), field("delimiter").is_some()))
}

#[test]
fn a_recent_window_lists_only_its_hours_and_agrees_with_local_files() {
    let Some(fleet) = Uploaded::start() else { return };
    let listings = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let proxy = {
        let listings = std::sync::Arc::clone(&listings);
        FaultProxy::start(fleet.azurite.blob_url(), move |head| {
            if let Some(listing) = listing(head) {
                listings.lock().unwrap().push(listing);
            }
            Fault::Forward
        })
    };
    let env = proxy.emulator_env();
    // The fleet ends at 2024-05-02T00:00Z (its --now): the last two hours of 2024-05-01.
    let query =
        "DeviceNetworkEvents | where Timestamp > ago(2h) | summarize n = count(), devices = dcount(DeviceId)";
    // Only the table queried: discovery samples each container's newest hour.
    let network = fleet.remote_of(|c| c.ends_with("devicenetworkevents"), |c| format!("az://{c}"));
    let remote = succeeded(&run(
        &with(&["query"], &network, &["--format", "csv", query]),
        &env,
    ));
    let local = succeeded(&run(
        &with(&["query"], &fleet.local(), &["--format", "csv", query]),
        &[],
    ));
    assert_eq!(remote, local);
    assert!(!local.ends_with("\n0,0\n"), "the window holds rows: {local}");

    let listings = listings.lock().unwrap().clone();
    assert!(!listings.is_empty());
    for (prefix, by_folder) in &listings {
        assert!(!prefix.contains("m=04"), "April is outside the window: {prefix}");
        assert!(!prefix.contains("d=30") && !prefix.contains("d=29"), "{prefix}");
        if !by_folder {
            // Whole-folder listings only in the window's hours.
            assert!(
                prefix.contains("/d=01/h=22") || prefix.contains("/d=01/h=23"),
                "a recursive listing outside the window: {prefix:?} (all: {listings:?})"
            );
        }
    }
}

#[test]
fn throttling_and_a_cut_response_are_retried_and_change_nothing() {
    let Some(fleet) = Uploaded::start() else { return };
    let query = rule_query("rules/detect-tor-relay-connectivity.yaml", None);
    let local = unordered(succeeded(&run(
        &with(&["query"], &fleet.local(), &["--format", "csv", &query]),
        &[],
    )));
    let reads = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let proxy = {
        let reads = std::sync::Arc::clone(&reads);
        FaultProxy::start(fleet.azurite.blob_url(), move |head| {
            if head.index < 3 {
                return Fault::Respond(503);
            }
            if head.index % 7 == 0 {
                return Fault::Respond(if head.index % 2 == 0 { 503 } else { 429 });
            }
            // Every fifth read of a blob is cut after 100 bytes of its body.
            if head.method == "GET" && listing(head).is_none() {
                let n = reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if n % 5 == 2 {
                    return Fault::CutAfter(100);
                }
            }
            Fault::Forward
        })
    };
    let env = proxy.emulator_env();
    let output = run(
        &with(
            &["query"],
            &fleet.remote(|c| format!("az://{c}")),
            &["--format", "csv", &query],
        ),
        &env,
    );
    assert_eq!(unordered(succeeded(&output)), local);
    assert!(proxy.requests() > 10);
}

/// A failed run: an error exit, nothing on stdout, and the message on stderr.
fn failed(output: &Output) -> Message {
    assert_eq!(output.status.code(), Some(2), "{}", stderr(output));
    assert_eq!(stdout(output), "", "no partial result");
    Message(stderr(output))
}

/// An error message as printed (wrapped to the terminal's width).
struct Message(String);

impl Message {
    /// Whether it says `text`, wherever its lines were wrapped.
    fn says(&self, text: &str) -> bool {
        let unwrapped = |t: &str| t.split_whitespace().collect::<String>();
        unwrapped(&self.0).contains(&unwrapped(text))
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[test]
fn bad_credentials_missing_containers_and_lost_connections_fail_clearly() {
    let Some(fleet) = Uploaded::start() else { return };
    let count = "DeviceNetworkEvents | count";
    let container = &fleet.containers[fleet
        .containers
        .iter()
        .position(|c| c.ends_with("devicenetworkevents"))
        .expect("network events")];
    let endpoint = fleet.azurite.account_url();
    let extra = |url: String, more: &[&str]| -> Vec<String> {
        let mut args = with(&["query", "--data"], &[url], &["--format", "csv"]);
        args.extend(more.iter().map(|s| s.to_string()));
        args.push(count.to_string());
        args
    };

    // A wrong account key.
    let wrong_key = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LXdyb25nLWtleQ==";
    let output = run(
        &extra(
            format!("abfss://{container}@{}.dfs.core.windows.net/", azurite::ACCOUNT),
            &["--azure-endpoint", &endpoint],
        ),
        &[("AZURE_STORAGE_ACCOUNT_KEY".to_string(), wrong_key.to_string())],
    );
    let error = failed(&output);
    assert!(error.says("authentication failed"), "{error}");
    assert!(
        error.says("AZURE_STORAGE_ACCOUNT_KEY"),
        "names the credential used: {error}"
    );
    assert!(!error.says(wrong_key), "the key is never printed: {error}");

    // An expired SAS token.
    let expired = fleet
        .azurite
        .account_sas("rl", chrono::Utc::now() - chrono::Duration::hours(1));
    let output = run(
        &extra(
            format!(
                "https://{}.blob.core.windows.net/{container}?{expired}",
                azurite::ACCOUNT
            ),
            &["--azure-endpoint", &endpoint],
        ),
        &[],
    );
    let error = failed(&output);
    assert!(error.says("SAS token expired"), "{error}");
    assert!(!error.says("sig="), "the token is never printed: {error}");

    // A container that does not exist.
    let output = run(
        &extra("az://insights-logs-advancedhunting-nosuchtable".to_string(), &[]),
        &fleet.azurite.emulator_env(),
    );
    let error = failed(&output);
    assert!(error.says("container does not exist"), "{error}");
    assert!(error.says("insights-logs-advancedhunting-nosuchtable"), "{error}");

    // Throttled for longer than the retry time.
    let proxy = FaultProxy::start(fleet.azurite.blob_url(), |_| Fault::Respond(503));
    let throttled_env = proxy.emulator_env();
    let output = run(
        &extra(format!("az://{container}"), &["--storage-retry-secs", "1"]),
        &throttled_env,
    );
    let error = failed(&output);
    assert!(
        error.says("kept refusing requests") && error.says("503"),
        "{error}"
    );
    drop(proxy);

    // The connection lost mid-scan: listings and the newest hour (sampled at discovery) are served,
    // reads of the first day's blobs are dropped.
    let proxy = FaultProxy::start(fleet.azurite.blob_url(), |head| {
        if listing(head).is_none() && head.target.contains("/d=30/") {
            Fault::Drop
        } else {
            Fault::Forward
        }
    });
    let lost_env = proxy.emulator_env();
    let output = run(
        &extra(format!("az://{container}"), &["--storage-retry-secs", "1"]),
        &lost_env,
    );
    let error = failed(&output);
    assert!(error.says("connection to storage failed"), "{error}");
    assert!(error.says("d=30"), "names the blob: {error}");
}

#[test]
fn an_append_blob_being_written_is_read_to_its_listed_length() {
    let Some(azurite) = Azurite::start() else { return };
    let container = "insights-logs-advancedhunting-devicenetworkevents";
    azurite.create_container(container);
    let key = "tenantId=00000000-0000-0000-0000-000000000000/y=2024/m=05/d=01/h=23/m=00/PT1H.json";
    let record = |n: u32| {
        format!(
            "{{\"time\":\"2024-05-01T23:{n:02}:00Z\",\"tenantId\":\"t\",\"operationName\":\"Publish\",\
             \"category\":\"AdvancedHunting-DeviceNetworkEvents\",\"properties\":{{\"Timestamp\":\
             \"2024-05-01T23:{n:02}:00Z\",\"DeviceId\":\"d{n}\",\"RemoteIP\":\"10.0.0.{n}\",\
             \"RemotePort\":443,\"ActionType\":\"ConnectionSuccess\"}}}}\r\n"
        )
    };
    let complete = format!("{}{}", record(1), record(2));
    let last = record(3);
    let (written, pending) = last.split_at(last.len() / 2);
    azurite.append_blob(container, key, &[complete.as_bytes(), written.as_bytes()]);
    let env = azurite.emulator_env();
    let args = |query: &str| -> Vec<String> {
        [
            "query",
            "--data",
            &format!("az://{container}"),
            "--now",
            "2024-05-02T00:00:00Z",
            "--format",
            "csv",
            query,
        ]
        .map(String::from)
        .to_vec()
    };
    let output = run(&args("DeviceNetworkEvents | count"), &env);
    assert_eq!(succeeded(&output), "Count\n2\n");
    let notes = stderr(&output);
    assert!(notes.contains("incomplete last record"), "{notes}");
    assert!(!notes.contains("malformed"), "{notes}");

    azurite.append(container, key, &[pending.as_bytes()]);
    let output = run(&args("DeviceNetworkEvents | count"), &env);
    assert_eq!(succeeded(&output), "Count\n3\n");
    assert!(!stderr(&output).contains("incomplete"), "{}", stderr(&output));
}
