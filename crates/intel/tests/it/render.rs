//! `TorRelayIPs.csv` rendering (checked against the published layout and round-tripped through the
//! parser) and the `TorRelays` Arrow table.

use std::collections::BTreeSet;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::{DataType, TimeUnit};
use kql_types::KustoType;
use torhunt_intel::formats::ParseContext;
use torhunt_intel::render::{render_onionoo_summary, render_torrelayips_csv, torrelays_batch};
use torhunt_intel::{Format, ImportOptions, SourceKind, Store, parse_document, parse_file};

use crate::{test_data, tor_fixtures, utc};

fn store_of(paths: &[std::path::PathBuf]) -> Store {
    let mut store = Store::default();
    for path in paths {
        store
            .import_file(path, Format::Auto, None, ImportOptions::default())
            .unwrap();
    }
    store
}

#[test]
fn csv_has_the_published_header_and_quoted_rows() {
    let store = store_of(&[test_data("onionoo-details.synthetic.json")]);
    let csv = render_torrelayips_csv(&store, None);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        r#""Nickname","Fingerprint","EntryAddress","IPAddress","Port","AddressType","Hostname","CountryCode","IsRunning","LastChangedIPData""#
    );
    assert!(lines.contains(
        &r#""SynthExit","1111111111111111111111111111111111111111","192.0.2.10:443","192.0.2.10","443","IPv4","exit.example.net","de","True","2024-03-02 08:00:00""#
    ));
    assert!(lines.contains(
        &r#""SynthExit","1111111111111111111111111111111111111111","[2001:db8::10]:443","2001:db8::10","443","IPv6","exit.example.net","de","True","2024-03-02 08:00:00""#
    ));
    // The separate exit address, with no OR port.
    assert!(lines.contains(
        &r#""SynthExit","1111111111111111111111111111111111111111","192.0.2.11","192.0.2.11","","IPv4","exit.example.net","de","True","2024-03-02 08:00:00""#
    ));
    assert_eq!(
        lines.len(),
        1 + 5 + 1,
        "header, five addresses, empty tail after the last CRLF"
    );

    // Before the store's first snapshot nothing is current.
    assert_eq!(
        render_torrelayips_csv(&store, Some(utc("2020-01-01")))
            .lines()
            .count(),
        1
    );
}

#[test]
fn csv_round_trips_through_the_torrelayips_parser() {
    let Some(dir) = tor_fixtures() else { return };
    let consensus = dir.join("consensus-2022-11-19-1000.txt");
    let store = store_of(std::slice::from_ref(&consensus));
    let csv = render_torrelayips_csv(&store, Some(utc("2022-11-19 10:30:00")));
    let context = ParseContext {
        source: "TorRelayIPs.csv".into(),
        time: Some(utc("2022-11-19 10:30:00")),
    };
    let parsed = parse_document(csv.as_bytes(), Format::Auto, &context).unwrap();
    assert_eq!(parsed.kind, SourceKind::TorRelayIpsCsv);

    let rows = |snapshot: &torhunt_intel::Snapshot| -> BTreeSet<(String, String, String)> {
        snapshot
            .relays
            .iter()
            .flat_map(|r| {
                let fp = r.fingerprint.map(|f| f.to_string()).unwrap_or_default();
                let nickname = r.nickname.clone().unwrap_or_default();
                r.or_addresses
                    .iter()
                    .map(move |a| (fp.clone(), nickname.clone(), a.to_string()))
            })
            .collect()
    };
    let original = parse_file(&consensus, Format::Auto, None).unwrap();
    assert_eq!(parsed.relays.len(), 6088);
    assert_eq!(rows(&parsed), rows(&original));
}

#[test]
fn onionoo_summary_export_reads_back() {
    let store = store_of(&[test_data("onionoo-details.synthetic.json")]);
    let json = render_onionoo_summary(&store, None);
    let context = ParseContext {
        source: "summary.json".into(),
        time: None,
    };
    let parsed = parse_document(json.as_bytes(), Format::Auto, &context).unwrap();
    assert_eq!(
        (parsed.kind, parsed.relays.len()),
        (SourceKind::OnionooSummary, 3)
    );
    assert_eq!(parsed.time, utc("2024-05-01 12:00:00"));
}

#[test]
fn torrelays_table_carries_kusto_types_and_one_row_per_interval() {
    let store = store_of(&[test_data("onionoo-details.synthetic.json")]);
    let batch = torrelays_batch(&store).unwrap();
    let schema = batch.schema();
    let kusto = |name: &str| KustoType::of_field(schema.field_with_name(name).unwrap());
    assert_eq!(kusto("Flags"), Some(KustoType::Dynamic));
    assert_eq!(kusto("From"), Some(KustoType::DateTime));
    assert_eq!(
        schema.field_with_name("To").unwrap().data_type(),
        &DataType::Timestamp(TimeUnit::Nanosecond, None)
    );
    assert_eq!(batch.num_rows(), 5);

    let address = batch.column_by_name("Address").unwrap().as_string::<i32>();
    let row = (0..batch.num_rows())
        .find(|&i| address.value(i) == "198.51.100.20")
        .unwrap();
    let text = |name: &str| {
        batch
            .column_by_name(name)
            .unwrap()
            .as_string::<i32>()
            .value(row)
            .to_string()
    };
    assert_eq!(text("Nickname"), "SynthGuard");
    assert_eq!(text("Role"), "guard");
    assert_eq!(text("Source"), "onionoo-details");
    assert_eq!(text("Country"), "se");
    let flags: Vec<String> = serde_json::from_str(&text("Flags")).unwrap();
    assert_eq!(flags, ["Fast", "Guard", "Running", "Stable", "V2Dir", "Valid"]);
    let first_seen = batch.column_by_name("FirstSeen").unwrap();
    assert!(!first_seen.is_null(row));
    let nanos = first_seen
        .as_primitive::<datafusion::arrow::datatypes::TimestampNanosecondType>()
        .value(row);
    assert_eq!(nanos, utc("2022-06-01").timestamp_nanos_opt().unwrap());
}
