//! `torhunt gen`: every format it writes reads back, and the founding queries return exactly the rows
//! the manifest says were planted for them (the same check the benchmark makes at scale).

use std::collections::BTreeSet;
use std::path::Path;

use torhunt_synth::rule_ids::{DETECT_TOR_RELAY_CONNECTIVITY, TOR_CONNECTION_ESTABLISHED};
use torhunt_synth::{Manifest, read_manifest};

use crate::{fleet_flags, rule_query, stderr, stdout, torhunt};

fn generate(out: &Path, extra: &[&str]) -> Manifest {
    let mut args = vec!["gen", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = torhunt(&args, None);
    assert!(output.status.success(), "{}", stderr(&output));
    read_manifest(out).expect("gen writes a manifest")
}

/// Runs a query over a generated fleet; returns the CSV records (header first).
fn query_fleet(out: &Path, manifest: &Manifest, query: &str) -> Vec<csv::StringRecord> {
    let mut args = vec!["query".to_string()];
    args.extend(fleet_flags(out, manifest));
    args.extend(["--format", "csv", "--strict", query].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = torhunt(&args, None);
    assert!(output.status.success(), "{}", stderr(&output));
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(stdout(&output).as_bytes())
        .records()
        .map(|r| r.expect("CSV output"))
        .collect()
}

#[test]
fn every_format_reads_back_and_the_founding_queries_return_the_planted_rows() {
    let founding = rule_query(
        "rules/tor-connection-established.md",
        Some("Defender for Endpoint"),
    );
    let relay = rule_query("rules/detect-tor-relay-connectivity.yaml", None);
    for format in ["eventhub", "storage", "csv", "ndjson", "parquet"] {
        let out = tempfile::tempdir().unwrap();
        let manifest = generate(
            out.path(),
            &[
                "--format",
                format,
                "--events",
                "40000",
                "--devices",
                "20",
                "--days",
                "3",
                "--synthetic-relays",
                "300",
            ],
        );
        assert_eq!(manifest.layout, format);
        // Two of each scaled planted kind on top of the story.
        assert_eq!(manifest.planted.len(), 13 + 2 * 3, "{format}");

        // Every Device* table the generator writes reads back with its row count.
        assert_eq!(manifest.rows.len(), 10, "{format}: {:?}", manifest.rows);
        let tables: Vec<&str> = manifest.rows.keys().map(String::as_str).collect();
        let rows = query_fleet(
            out.path(),
            &manifest,
            &format!(
                "union withsource=T {} | summarize n = count() by T | sort by T asc",
                tables.join(", ")
            ),
        );
        let read: Vec<(String, String)> = rows[1..]
            .iter()
            .map(|r| (r[0].to_string(), r[1].to_string()))
            .collect();
        let written: Vec<(String, String)> = manifest
            .rows
            .iter()
            .map(|(t, n)| (t.clone(), n.to_string()))
            .collect();
        assert_eq!(read, written, "{format}: every row reads back");

        let rows = query_fleet(out.path(), &manifest, &founding);
        let report_id = rows[0]
            .iter()
            .position(|c| c == "ReportId")
            .expect("ReportId column");
        let found: BTreeSet<String> = rows[1..].iter().map(|r| r[report_id].to_string()).collect();
        let planted: BTreeSet<String> = manifest
            .planted
            .iter()
            .filter(|p| p.expected_rules.iter().any(|r| r == TOR_CONNECTION_ESTABLISHED))
            .map(|p| p.report_id.to_string())
            .collect();
        assert_eq!(
            found, planted,
            "{format}: the founding rule finds the planted events"
        );
        assert_eq!(
            rows.len() as u64 - 1,
            manifest.expected_rows[TOR_CONNECTION_ESTABLISHED],
            "{format}"
        );

        let rows = query_fleet(out.path(), &manifest, &relay);
        assert_eq!(
            rows.len() as u64 - 1,
            manifest.expected_rows[DETECT_TOR_RELAY_CONNECTIVITY],
            "{format}"
        );
    }
}

#[test]
fn relays_come_from_a_real_consensus_when_given() {
    let Some(consensus) = shared_fixtures::path("fixtures/tor/consensus-2022-11-19-1000.txt") else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let manifest = generate(
        out.path(),
        &[
            "--format",
            "ndjson",
            "--events",
            "20000",
            "--devices",
            "10",
            "--days",
            "2",
            "--relays",
            consensus.to_str().unwrap(),
        ],
    );
    // The consensus lists 6088 relays, each with an IPv4 ORPort.
    assert_eq!(manifest.relays.len(), 6088);
    assert!(manifest.relays.iter().all(|r| !r.address.contains(':')));
    let scaled_relay_connections = manifest
        .planted
        .iter()
        .filter(|p| p.scenario == "relay-connection")
        .count();
    assert_eq!(scaled_relay_connections, 1);
    let relay = rule_query("rules/detect-tor-relay-connectivity.yaml", None);
    let rows = query_fleet(out.path(), &manifest, &relay);
    assert_eq!(
        rows.len() as u64 - 1,
        manifest.expected_rows[DETECT_TOR_RELAY_CONNECTIVITY]
    );
    let tor_ip = rows[0].iter().position(|c| c == "TorIP").expect("TorIP column");
    let listed: BTreeSet<&str> = manifest.relays.iter().map(|r| r.address.as_str()).collect();
    assert!(rows.len() > 1);
    for row in &rows[1..] {
        assert!(
            listed.contains(&row[tor_ip]),
            "{} is a relay of the consensus",
            &row[tor_ip]
        );
    }
}
