//! The shipped rules on other products' telemetry (../shared/fixtures/zeek-tsv), mapped onto the
//! Advanced Hunting tables (docs/mappings.md).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::{rule_query, stderr, stdout, torhunt};

const TOR_RELAY_IPS_URL: &str = "https://torinfo.blob.core.windows.net/public/TorRelayIPs.csv";
/// The host of zat_tor_ssl.log that used Tor (the fixtures' README).
const TOR_HOST: &str = "10.0.0.126";

/// `(id.orig_h, id.resp_h, id.resp_p)` of every record of a Zeek TSV log, by splitting its lines.
fn connections(log: &Path) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(log).unwrap();
    let fields: Vec<&str> = text
        .lines()
        .find_map(|l| l.strip_prefix("#fields\t"))
        .expect("a #fields line")
        .split('\t')
        .collect();
    let at = |name: &str| fields.iter().position(|f| *f == name).unwrap();
    let (orig, resp, port) = (at("id.orig_h"), at("id.resp_h"), at("id.resp_p"));
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let values: Vec<&str> = l.split('\t').collect();
            (
                values[orig].to_string(),
                values[resp].to_string(),
                values[port].to_string(),
            )
        })
        .collect()
}

/// A relay list in the layout of the founding rule's URL, holding `relays` (address, OR port).
fn write_relay_list(path: &Path, relays: &BTreeSet<(String, String)>) {
    let mut csv = String::from(
        "\"Nickname\",\"Fingerprint\",\"EntryAddress\",\"IPAddress\",\"Port\",\"AddressType\",\"Hostname\",\
         \"CountryCode\",\"IsRunning\",\"LastChangedIPData\"\n",
    );
    for (index, (address, port)) in relays.iter().enumerate() {
        csv.push_str(&format!(
            "\"relay{index}\",\"{index:040X}\",\"{address}:{port}\",\"{address}\",\"{port}\",\"IPv4\",\
             \"relay{index}.example\",\"zz\",\"True\",\"2013-12-30 00:00:00\"\n"
        ));
    }
    std::fs::write(path, csv).unwrap();
}

#[test]
fn the_relay_rule_finds_the_tor_traffic_in_a_zeek_log() {
    let Some(log) = shared_fixtures::path("fixtures/zeek-tsv/zat_tor_ssl.log") else {
        return;
    };
    let connections = connections(&log);
    let relays: BTreeSet<(String, String)> = connections
        .iter()
        .filter(|(host, ..)| host == TOR_HOST)
        .map(|(_, address, port)| (address.clone(), port.clone()))
        .collect();
    assert_eq!(relays.len(), 54, "the README's count");
    let relay_addresses: BTreeSet<&str> = relays.iter().map(|(a, _)| a.as_str()).collect();
    let expected_rows = connections
        .iter()
        .filter(|(_, address, _)| relay_addresses.contains(address.as_str()))
        .count();
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("TorRelayIPs.csv");
    write_relay_list(&list, &relays);
    let mapping = format!("{TOR_RELAY_IPS_URL}={}", list.display());
    let log_arg = log.display().to_string();

    let query = rule_query("rules/detect-tor-relay-connectivity.yaml", None);
    let output = torhunt(
        &[
            "query",
            "--format",
            "json",
            "--data",
            &log_arg,
            "--externaldata",
            &mapping,
            &query,
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let result: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let names: Vec<&str> = result["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let column = |row: &Value, name: &str| row[names.iter().position(|n| *n == name).unwrap()].clone();
    let rows = result["rows"].as_array().unwrap();
    assert_eq!(rows.len(), expected_rows);
    let found: BTreeSet<&str> = rows
        .iter()
        .map(|r| {
            r[names.iter().position(|n| *n == "TorIP").unwrap()]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(found, relay_addresses);
    for row in rows {
        assert_eq!(column(row, "LocalIP"), TOR_HOST);
        assert_eq!(column(row, "RemoteIP"), column(row, "TorIP"));
        assert_eq!(column(row, "ActionType"), "SslConnectionInspected");
        // A private address: the synthesized DeviceInfo has no public IP for it.
        assert_eq!(column(row, "LocalPublicIP"), "");
    }
    let devices: BTreeSet<String> = rows.iter().map(|r| column(r, "DeviceId").to_string()).collect();
    assert_eq!(devices.len(), 1);

    // Every shipped rule runs on the mapped telemetry; the relay rule and the certificate-name rule
    // (Tor's random TLS names, as Zeek's Tor detection finds them) alert on that device only.
    let output = torhunt(
        &[
            "hunt",
            "--format",
            "json",
            "--data",
            &log_arg,
            "--externaldata",
            &mapping,
            "--now",
            "2013-12-31T00:00:00Z",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1), "alerts: {}", stderr(&output));
    let document: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let alerts = document["alerts"].as_array().unwrap();
    let alerted = |rule: &str| -> BTreeSet<String> {
        alerts
            .iter()
            .filter(|a| a["rule_id"] == rule)
            .map(|a| a["device"]["id"].to_string())
            .collect()
    };
    assert_eq!(alerted("tor-tls-certificate"), devices);
    let rules: BTreeSet<&str> = alerts.iter().map(|a| a["rule_id"].as_str().unwrap()).collect();
    for rule in rules {
        assert_eq!(alerted(rule), devices, "{rule}");
    }
}

#[test]
fn sources_names_the_mapping_of_each_file() {
    let Some(log) = shared_fixtures::path("fixtures/zeek-tsv/zat_conn.log") else {
        return;
    };
    let output = torhunt(&["sources", &log.display().to_string()], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("DeviceNetworkEvents: 360 rows"), "{text}");
    assert!(
        text.contains("(zeek-tsv; mapped: Zeek conn, dns, ssl, http -> DeviceNetworkEvents"),
        "{text}"
    );
}
