//! The generator: deterministic per seed, every layout written, manifest consistent with the files.

#![allow(clippy::unwrap_used, reason = "a panic fails the test")]

use std::path::Path;

use torhunt_synth::rule_ids::DETECT_TOR_RELAY_CONNECTIVITY;
use torhunt_synth::{FleetConfig, Layout, generate, read_manifest};

fn files_under(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let name = path.strip_prefix(root).unwrap().display().to_string();
                files.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn one_seed_gives_the_same_files() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let config = FleetConfig::default();
    generate(&config, Layout::EventHub, a.path()).unwrap();
    generate(&config, Layout::EventHub, b.path()).unwrap();
    assert_eq!(files_under(a.path()), files_under(b.path()));
    let c = tempfile::tempdir().unwrap();
    generate(
        &FleetConfig {
            seed: config.seed + 1,
            ..config
        },
        Layout::EventHub,
        c.path(),
    )
    .unwrap();
    assert_ne!(files_under(a.path()), files_under(c.path()));
}

#[test]
fn every_layout_writes_its_files_and_the_manifest_reads_back() {
    let config = FleetConfig {
        devices: 9,
        network_events: 240,
        ..FleetConfig::default()
    };
    for (layout, expected_files) in [
        (Layout::EventHub, vec!["telemetry/eventhub/messages-00000.json"]),
        (
            Layout::Storage,
            vec![
                "telemetry/insights-logs-advancedhunting-devicenetworkevents/tenantId=00000000-0000-0000-0000-000000000000/y=2024/m=04/d=29/h=00/m=00/PT1H.json",
                "telemetry/insights-logs-advancedhunting-deviceinfo/tenantId=00000000-0000-0000-0000-000000000000/y=2024/m=05/d=01/h=23/m=00/PT1H.json",
            ],
        ),
        (
            Layout::PortalCsv,
            vec![
                "telemetry/DeviceInfo.csv",
                "telemetry/DeviceNetworkEvents.csv",
                "telemetry/DeviceProcessEvents.csv",
            ],
        ),
        (
            Layout::FlatNdjson,
            vec![
                "telemetry/DeviceInfo.ndjson",
                "telemetry/DeviceNetworkEvents.ndjson",
                "telemetry/DeviceProcessEvents.ndjson",
            ],
        ),
    ] {
        let root = tempfile::tempdir().unwrap();
        let manifest = generate(&config, layout, root.path()).unwrap();
        assert_eq!(read_manifest(root.path()).unwrap(), manifest);
        let files = files_under(root.path());
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        for file in &expected_files {
            assert!(names.contains(file), "{layout:?}: {names:?}");
        }
        let telemetry_bytes: usize = files
            .iter()
            .filter(|(n, _)| n.starts_with("telemetry/"))
            .map(|(_, bytes)| bytes.len())
            .sum();
        assert_eq!(manifest.bytes, telemetry_bytes as u64, "{layout:?}");
        // Hourly DeviceInfo for 9 devices over 3 days; 240 connections and 30 process starts, plus the
        // planted events of each table.
        let planted = |table: &str| manifest.planted.iter().filter(|p| p.table == table).count() as u64;
        assert_eq!(manifest.rows["DeviceInfo"], 9 * 72);
        assert_eq!(
            manifest.rows["DeviceNetworkEvents"],
            240 + planted("DeviceNetworkEvents")
        );
        assert_eq!(
            manifest.rows["DeviceProcessEvents"],
            30 + planted("DeviceProcessEvents")
        );
        // The other Device* tables: a daily adapter snapshot per device, and event rows in proportion
        // to the connections (240 / 16, / 32, / 64).
        assert_eq!(manifest.rows["DeviceNetworkInfo"], 9 * 3);
        for (table, rows) in [
            ("DeviceFileEvents", 15),
            ("DeviceImageLoadEvents", 15),
            ("DeviceRegistryEvents", 7),
            ("DeviceEvents", 7),
            ("DeviceLogonEvents", 3),
            ("DeviceFileCertificateInfo", 3),
        ] {
            assert_eq!(manifest.rows[table], rows, "{layout:?} {table}");
        }
        assert_eq!(manifest.devices.len(), 9);
        let relay_list = std::fs::read_to_string(root.path().join(&manifest.relay_list)).unwrap();
        let listed_addresses =
            manifest.relays.len() + manifest.relays.iter().filter(|r| r.ipv6.is_some()).count();
        assert_eq!(relay_list.lines().count(), 1 + listed_addresses);
        for relay in &manifest.relays {
            assert!(
                relay.address.starts_with("198.51.100."),
                "the demo's relays are in the documentation range"
            );
        }
        let report_ids: std::collections::BTreeSet<i64> =
            manifest.planted.iter().map(|p| p.report_id).collect();
        assert_eq!(report_ids.len(), manifest.planted.len());
    }
}

#[test]
fn the_other_device_tables_number_their_own_reports() {
    // The activity tables draw from a random stream and a report counter of their own, so the tables
    // the founding rules and the benchmark read keep their consecutive report ids 1..=n.
    let config = FleetConfig::default();
    let root = tempfile::tempdir().unwrap();
    let manifest = generate(&config, Layout::FlatNdjson, root.path()).unwrap();
    let report_ids = |table: &str| -> Vec<i64> {
        let path = root.path().join("telemetry").join(format!("{table}.ndjson"));
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(|line| {
                serde_json::from_str::<serde_json::Value>(line).unwrap()["ReportId"]
                    .as_i64()
                    .unwrap()
            })
            .collect()
    };
    let mut founding: Vec<i64> = ["DeviceInfo", "DeviceNetworkEvents", "DeviceProcessEvents"]
        .iter()
        .flat_map(|t| report_ids(t))
        .collect();
    founding.sort_unstable();
    let n = manifest.rows["DeviceInfo"]
        + manifest.rows["DeviceNetworkEvents"]
        + manifest.rows["DeviceProcessEvents"];
    assert_eq!(founding, (1..=n as i64).collect::<Vec<_>>());
    let mut activity: Vec<i64> = ["DeviceRegistryEvents", "DeviceFileEvents", "DeviceNetworkInfo"]
        .iter()
        .flat_map(|t| report_ids(t))
        .collect();
    activity.sort_unstable();
    activity.dedup();
    assert!(!activity.is_empty() && activity[0] >= 1);
}

#[test]
fn event_hub_messages_hold_every_record_in_batches() {
    let config = FleetConfig {
        network_events: 2000,
        ..FleetConfig::default()
    };
    let root = tempfile::tempdir().unwrap();
    let manifest = generate(&config, Layout::EventHub, root.path()).unwrap();
    let mut records = 0u64;
    for (name, bytes) in files_under(&root.path().join("telemetry")) {
        for line in String::from_utf8(bytes).unwrap().lines() {
            let message: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}: {e}"));
            let batch = message["records"].as_array().unwrap();
            assert!(batch.len() <= torhunt_synth::RECORDS_PER_MESSAGE);
            records += batch.len() as u64;
        }
    }
    assert_eq!(records, manifest.total_rows());
}

#[test]
fn planted_events_scale_with_the_fleet_and_spread_over_the_window() {
    let config = FleetConfig {
        devices: 40,
        network_events: 60_000,
        days: 7,
        synthetic_relays: 500,
        ..FleetConfig::default()
    };
    let root = tempfile::tempdir().unwrap();
    let manifest = generate(&config, Layout::FlatNdjson, root.path()).unwrap();
    // The 13-step story, then per 20,000 events one relay connection, one torrent event, one near miss.
    assert_eq!(manifest.planted.len(), 13 + 3 * 3);
    assert_eq!(manifest.relays.len(), 500);
    let relay_connections = manifest
        .planted
        .iter()
        .filter(|p| {
            p.expected_rules
                .iter()
                .any(|r| r == DETECT_TOR_RELAY_CONNECTIVITY)
        })
        .count();
    assert_eq!(relay_connections, 2 + 3);
    // Laptops report two public addresses, so relay rows are at least the relay connections.
    assert!(manifest.expected_rows[DETECT_TOR_RELAY_CONNECTIVITY] >= relay_connections as u64);
    let times: Vec<&str> = manifest.planted.iter().map(|p| p.time.as_str()).collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted, "planted in time order");
}

#[test]
fn layout_ids_round_trip() {
    for layout in Layout::ALL {
        assert_eq!(Layout::from_id(layout.id()), Some(layout));
    }
}
