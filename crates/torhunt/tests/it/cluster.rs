//! `torhunt query|hunt --cluster`: on an in-process Ballista cluster (a scheduler and two executors on
//! 127.0.0.1), the same output as local execution, byte for byte, except the order of a hunt's alerts
//! within a rule: a rule without `sort` has no row order (in Kusto neither), and the cluster's tasks
//! finish in their own order.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use torhunt_intel::Store;
use torhunt_synth::{FleetConfig, Layout, Manifest, generate};

use crate::{fleet_flags, stderr, stdout, torhunt};

/// The cluster the tests share, answering relay intel from an empty store, as the tests' client does
/// (`torhunt_command` points it at a store that does not exist).
fn cluster_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| torhunt_cluster::process::spawn_local(2, 2, Arc::new(Store::default())).unwrap())
}

/// Runs `torhunt` locally and on the cluster with the same arguments; both must succeed or find, with
/// the same status, standard output and error output.
fn same_locally_and_on_cluster(args: &[&str]) -> String {
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
        alerts_in_canonical_order(&stdout(&remote)),
        alerts_in_canonical_order(&stdout(&local)),
        "{args:?}"
    );
    stdout(&local)
}

/// A hunt's JSON report with its alerts sorted by their whole text (rules, then rows, in one order);
/// any other output unchanged.
fn alerts_in_canonical_order(output: &str) -> String {
    let Ok(mut report) = serde_json::from_str::<serde_json::Value>(output) else {
        return output.to_string();
    };
    if let Some(alerts) = report.get_mut("alerts").and_then(|a| a.as_array_mut()) {
        alerts.sort_by_cached_key(|alert| alert.to_string());
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
    let alerts = same_locally_and_on_cluster(&hunt);
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
        let printed = same_locally_and_on_cluster(&query_args);
        assert!(printed.lines().count() > 2, "{query}: {printed}");
    }
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
