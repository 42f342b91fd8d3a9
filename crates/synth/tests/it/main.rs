//! The generator: deterministic per seed, every layout written, manifest consistent with the files.

use std::path::Path;

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
    generate(&config, Layout::StreamingApi, a.path()).unwrap();
    generate(&config, Layout::StreamingApi, b.path()).unwrap();
    assert_eq!(files_under(a.path()), files_under(b.path()));
    let c = tempfile::tempdir().unwrap();
    generate(
        &FleetConfig {
            seed: config.seed + 1,
            ..config
        },
        Layout::StreamingApi,
        c.path(),
    )
    .unwrap();
    assert_ne!(files_under(a.path()), files_under(c.path()));
}

#[test]
fn every_layout_writes_its_files_and_the_manifest_reads_back() {
    let config = FleetConfig {
        devices: 9,
        benign_events_per_device: 20,
        ..FleetConfig::default()
    };
    for (layout, expected_files) in [
        (
            Layout::StreamingApi,
            vec!["telemetry/advanced-hunting-stream.json"],
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
        let names: Vec<String> = files_under(root.path()).into_iter().map(|(n, _)| n).collect();
        for file in &expected_files {
            assert!(names.contains(&file.to_string()), "{layout:?}: {names:?}");
        }
        // 9 devices x (3 DeviceInfo days + 20 connections + 5 processes), plus the planted events.
        assert_eq!(manifest.rows, 9 * (3 + 20 + 5) + manifest.planted.len() as u64);
        assert_eq!(manifest.devices.len(), 9);
        let relay_list = std::fs::read_to_string(root.path().join(&manifest.relay_list)).unwrap();
        assert_eq!(relay_list.lines().count(), 1 + 2 * manifest.relays.len());
        for relay in &manifest.relays {
            assert!(
                relay.address.starts_with("198.51.100."),
                "documentation range only"
            );
        }
        let report_ids: std::collections::BTreeSet<i64> =
            manifest.planted.iter().map(|p| p.report_id).collect();
        assert_eq!(report_ids.len(), manifest.planted.len());
    }
}

#[test]
fn layout_ids_round_trip() {
    for layout in Layout::ALL {
        assert_eq!(Layout::from_id(layout.id()), Some(layout));
    }
}
