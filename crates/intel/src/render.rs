//! The store rendered for KQL: `TorRelayIPs.csv` text (what the DetectTorRelayConnectivity rule's
//! `externaldata` loads), the built-in `TorRelays` table, and plain exports.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use datafusion::arrow::array::{ArrayRef, Int32Array, RecordBatch, StringArray, TimestampNanosecondArray};
use datafusion::arrow::datatypes::{Schema, SchemaRef};
use datafusion::arrow::error::ArrowError;
use kql_types::KustoType;

use crate::formats::torrelayips_csv::COLUMNS;
use crate::model::Fingerprint;
use crate::store::{Match, Store};

/// Name of the built-in table that [`torrelays_batch`] fills.
pub const TORRELAYS_TABLE: &str = "TorRelays";

/// The time "current" means: `at` if given, else the newest snapshot in the store.
fn current_time(store: &Store, at: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    at.or_else(|| store.newest_snapshot())
}

/// Relay addresses active at `at` (default: the newest snapshot), one per address and fingerprint.
fn current_matches(store: &Store, at: Option<DateTime<Utc>>) -> Vec<Match> {
    let Some(at) = current_time(store, at) else {
        return Vec::new();
    };
    let mut by_key: BTreeMap<(IpAddr, Option<Fingerprint>), Match> = BTreeMap::new();
    for m in store.active_at(at) {
        // Several sources may vouch for the same address: keep the one that knows the port.
        by_key
            .entry((m.address, m.fingerprint))
            .and_modify(|known| {
                if known.port.is_none() && m.port.is_some() {
                    *known = m.clone();
                }
            })
            .or_insert(m);
    }
    by_key.into_values().collect()
}

/// `TorRelayIPs.csv` as the Tor-Project-Statistics module publishes it: the header, then one row per
/// relay address active at `at` (default: the newest snapshot), every value quoted, CRLF line ends.
///
/// Beyond the published file (OR addresses of Onionoo relays) it also lists exit addresses and
/// addresses from plain lists, with the columns the source cannot fill left empty, so that a rule
/// joining on `IPAddress` sees every known relay address.
pub fn render_torrelayips_csv(store: &Store, at: Option<DateTime<Utc>>) -> String {
    let mut csv = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut rows: Vec<[String; 10]> = Vec::new();
    for m in current_matches(store, at) {
        let relay = m.fingerprint.and_then(|fp| store.relay(&fp));
        let entry = crate::model::OrAddress {
            ip: m.address,
            port: m.port,
        };
        rows.push([
            m.nickname.clone().unwrap_or_default(),
            m.fingerprint.map(|fp| fp.to_string()).unwrap_or_default(),
            entry.to_string(),
            m.address.to_string(),
            m.port.map(|p| p.to_string()).unwrap_or_default(),
            if m.address.is_ipv4() { "IPv4" } else { "IPv6" }.to_string(),
            relay.map(|r| r.hostnames.join(" ")).unwrap_or_default(),
            m.country.clone().unwrap_or_default(),
            if relay.and_then(|r| r.running).unwrap_or(true) {
                "True"
            } else {
                "False"
            }
            .to_string(),
            relay
                .and_then(|r| r.last_changed_address)
                .map(tor_time)
                .unwrap_or_default(),
        ]);
    }
    // Writing to a Vec cannot fail.
    let _ = csv.write_record(COLUMNS);
    for row in &rows {
        let _ = csv.write_record(row);
    }
    String::from_utf8(csv.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// An Onionoo `summary` document of the relays active at `at` (default: the newest snapshot); relays
/// without a fingerprint (plain lists) cannot be named there and are left out.
pub fn render_onionoo_summary(store: &Store, at: Option<DateTime<Utc>>) -> String {
    let mut relays: BTreeMap<Fingerprint, (Option<String>, Vec<String>)> = BTreeMap::new();
    for m in current_matches(store, at) {
        if let Some(fp) = m.fingerprint {
            let entry = relays
                .entry(fp)
                .or_insert_with(|| (m.nickname.clone(), Vec::new()));
            entry.1.push(m.address.to_string());
        }
    }
    let published = current_time(store, at).map(tor_time).unwrap_or_default();
    let relays: Vec<serde_json::Value> = relays
        .into_iter()
        .map(|(fp, (nickname, addresses))| {
            serde_json::json!({ "n": nickname.unwrap_or_default(), "f": fp.to_string(), "a": addresses, "r": true })
        })
        .collect();
    serde_json::json!({
        "version": "8.0",
        "relays_published": published,
        "relays": relays,
        "bridges_published": published,
        "bridges": [],
    })
    .to_string()
}

/// One JSON object per relay address active at `at` (default: the newest snapshot).
pub fn render_ndjson(store: &Store, at: Option<DateTime<Utc>>) -> String {
    current_matches(store, at)
        .iter()
        .map(|m| serde_json::to_string(m).unwrap_or_default() + "\n")
        .collect()
}

/// Schema of the `TorRelays` table: one row per address interval.
pub fn torrelays_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        KustoType::String.field("Address"),
        KustoType::Int.field("Port"),
        KustoType::String.field("Fingerprint"),
        KustoType::String.field("Nickname"),
        KustoType::String.field("Role"),
        KustoType::Dynamic.field("Flags"),
        KustoType::DateTime.field("FirstSeen"),
        KustoType::DateTime.field("LastSeen"),
        KustoType::DateTime.field("From"),
        KustoType::DateTime.field("To"),
        KustoType::String.field("Source"),
        KustoType::String.field("Country"),
    ]))
}

/// The `TorRelays` table: every address interval in the store. `To` is the exclusive end of the
/// interval. Kusto strings are never null, so unknown text is `""`; unknown times are null.
pub fn torrelays_batch(store: &Store) -> Result<RecordBatch, ArrowError> {
    let matches = store.all_intervals();
    let text = |f: &dyn Fn(&Match) -> String| -> ArrayRef {
        Arc::new(StringArray::from_iter_values(matches.iter().map(f)))
    };
    let time = |f: &dyn Fn(&Match) -> Option<DateTime<Utc>>| -> ArrayRef {
        Arc::new(TimestampNanosecondArray::from_iter(
            matches.iter().map(|m| f(m).and_then(|t| t.timestamp_nanos_opt())),
        ))
    };
    let columns: Vec<ArrayRef> = vec![
        text(&|m| m.address.to_string()),
        Arc::new(Int32Array::from_iter(
            matches.iter().map(|m| m.port.map(i32::from)),
        )),
        text(&|m| m.fingerprint.map(|fp| fp.to_string()).unwrap_or_default()),
        text(&|m| m.nickname.clone().unwrap_or_default()),
        text(&|m| m.role.name().to_string()),
        text(&|m| serde_json::Value::from(m.flags.clone()).to_string()),
        time(&|m| m.first_seen),
        time(&|m| m.last_seen),
        time(&|m| Some(m.from)),
        time(&|m| Some(m.until)),
        text(&|m| m.kind.name().to_string()),
        text(&|m| m.country.clone().unwrap_or_default()),
    ];
    RecordBatch::try_new(torrelays_schema(), columns)
}

/// Tor's `YYYY-MM-DD hh:mm:ss`.
fn tor_time(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Kusto's datetime text, as `tostring(datetime)` prints it.
pub(crate) fn kusto_time(time: DateTime<Utc>) -> String {
    let text = time.to_rfc3339_opts(SecondsFormat::Secs, true);
    // 2023-03-01T00:00:00Z -> 2023-03-01T00:00:00.0000000Z
    format!("{}.0000000Z", text.trim_end_matches('Z'))
}
