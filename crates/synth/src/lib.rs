//! Synthetic Defender for Endpoint fleets: devices with hourly `DeviceInfo`, everyday network and
//! process events, and planted Tor and torrent events and near misses, written in any layout Defender
//! data comes in (Event Hub or Storage Streaming API JSON, portal CSV, flat NDJSON), with a Tor relay
//! list (`TorRelayIPs.csv`, synthetic or from a real list) and a manifest of what was planted, which
//! shipped rules must fire on each planted event, and how many rows each founding query returns.
//!
//! Deterministic: one seed gives the same files byte for byte. Rows are written hour by hour as they
//! are generated, never collected, so the same code writes a demo fleet and a benchmark's 10M events.
//!
//! Layout under the output folder: `telemetry/` (the data), `intel/TorRelayIPs.csv`, `manifest.json`.

mod activity;
pub mod arrival;
mod fleet;
mod rng;
mod scenarios;
mod sink;
mod table;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::activity::{Activity, EVENT_TABLES};
use crate::fleet::{Addresses, Behaviour, Binary, Connection};
use crate::scenarios::{EventKind, PLANTED_DEVICES, PlantedEvent};
pub use rng::SplitMix64;
pub use sink::{Layout, RECORDS_PER_MESSAGE, Sink};
pub use table::{Field, MICROS_PER_SECOND, Row, Table, iso_time};

/// The URL `DetectTorRelayConnectivity` reads its relay list from; hunts map it to the written list.
pub const TOR_RELAY_IPS_URL: &str = "https://torinfo.blob.core.windows.net/public/TorRelayIPs.csv";

/// Rule ids of the shipped rules, as the manifest names them.
pub mod rule_ids {
    pub const TOR_CONNECTION_ESTABLISHED: &str = "tor-connection-established";
    pub const DETECT_TOR_RELAY_CONNECTIVITY: &str = "26be4a5f-7e6f-4c2e-967d-467bddcbb51a";
    pub const TOR_RELAY_CONNECTION: &str = "tor-relay-connection";
    pub const TOR_CLIENT_PROCESS: &str = "tor-client-process";
    pub const TOR_PORT_CONNECTION: &str = "tor-port-connection";
    pub const ONION_DOMAIN_ACCESS: &str = "onion-domain-access";
    pub const TORRENT_CLIENT_ACTIVITY: &str = "torrent-client-activity";
}

use rule_ids::*;

#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the relay list needs at least two IPv4 relays for the planted relay connections; it has {0}")]
    TooFewRelays(usize),
}

impl SynthError {
    fn io(path: &Path, source: std::io::Error) -> SynthError {
        SynthError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetConfig {
    pub seed: u64,
    pub devices: usize,
    /// Everyday `DeviceNetworkEvents` rows in the whole window (planted events come on top; process
    /// events are an eighth of this).
    pub network_events: u64,
    /// The end of the telemetry, in seconds since the Unix epoch; hunts use it as `--now`.
    pub end: i64,
    /// How many days of telemetry before `end`.
    pub days: i64,
    /// The relays to list and plant connections to; `None` draws `synthetic_relays` of them.
    pub relays: Option<Vec<Relay>>,
    pub synthetic_relays: usize,
}

impl Default for FleetConfig {
    /// The demo's small fleet.
    fn default() -> FleetConfig {
        FleetConfig {
            seed: 7,
            devices: 8,
            network_events: 480,
            // 2024-05-02T00:00:00Z
            end: 1_714_608_000,
            days: 3,
            relays: None,
            synthetic_relays: 3,
        }
    }
}

/// What was generated, for tests, benchmarks and the demo's explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub seed: u64,
    pub layout: String,
    /// `--now` for a hunt over this fleet (ISO 8601).
    pub now: String,
    /// Relative to the output folder.
    pub telemetry_dir: PathBuf,
    pub relay_list: PathBuf,
    pub relay_list_url: String,
    pub devices: Vec<Device>,
    pub relays: Vec<Relay>,
    pub planted: Vec<Planted>,
    /// Rows written per table.
    pub rows: BTreeMap<String, u64>,
    /// Bytes of telemetry written.
    pub bytes: u64,
    /// Rows each founding query returns over this fleet with `--now` (Defender variants), by rule id.
    pub expected_rows: BTreeMap<String, u64>,
}

impl Manifest {
    pub fn total_rows(&self) -> u64 {
        self.rows.values().sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub id: String,
    pub name: String,
    pub local_ip: String,
    pub local_ipv6: String,
    /// The addresses its `DeviceInfo` rows report: the office's, and for laptops also a home address.
    pub public_ips: Vec<String>,
    pub user: String,
    pub account_sid: String,
    pub account_object_id: String,
    pub aad_device_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relay {
    pub nickname: String,
    pub fingerprint: String,
    /// IPv4 or IPv6 address of the relay's ORPort.
    pub address: String,
    /// A second, IPv6, address the relay list has a row for.
    pub ipv6: Option<String>,
    pub port: u16,
    pub country: String,
}

/// One planted event and the rules that must (and only those that must) alert on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planted {
    pub scenario: String,
    pub table: String,
    pub device_id: String,
    pub device_name: String,
    /// ISO 8601, as the rules' time columns show it.
    pub time: String,
    pub report_id: i64,
    /// Shipped rule ids expected to alert on this event; empty for a near miss.
    pub expected_rules: Vec<String>,
    /// What happened and why those rules fire (or why none does).
    pub explanation: String,
}

/// Generates a fleet under `root` (created if needed) and writes its manifest.
pub fn generate(config: &FleetConfig, layout: Layout, root: &Path) -> Result<Manifest, SynthError> {
    let mut rng = SplitMix64::new(config.seed);
    let devices = fleet::devices(&mut rng, config.devices.max(PLANTED_DEVICES));
    let relays = match &config.relays {
        Some(given) => given.clone(),
        None => synthetic_relays(&mut rng, config.synthetic_relays),
    };
    let ipv4_relays: Vec<&Relay> = relays.iter().filter(|r| !r.address.contains(':')).collect();
    if ipv4_relays.len() < 2 {
        return Err(SynthError::TooFewRelays(ipv4_relays.len()));
    }
    let telemetry_dir = PathBuf::from("telemetry");
    let relay_list = PathBuf::from("intel").join("TorRelayIPs.csv");
    write_relay_list(&root.join(&relay_list), &relays)?;
    let addresses = Addresses::new(&mut rng, &relays);
    let behaviour = Behaviour::new();
    let planted_events = scenarios::plant(&mut rng, config, &devices, &ipv4_relays);

    let mut writer = Writer {
        sink: Sink::new(layout, &root.join(&telemetry_dir))?,
        next_report_id: 1,
        relay_rows: relay_rows_by_ipv4(&relays),
        relay_hits: vec![0; devices.len()],
        public_ips: vec![BTreeSet::new(); devices.len()],
    };
    let hour = 3600 * MICROS_PER_SECOND;
    let end = config.end * MICROS_PER_SECOND;
    let start = end - config.days * 24 * hour;
    let hours = config.days.max(0) as u64 * 24;
    let process_events = config.network_events / 8;
    let mut pending = planted_events.iter().peekable();
    let mut planted = Vec::new();
    // The other Device* tables come from a stream of their own (and number their own reports), so the
    // tables above are the same with or without them.
    let activity = Activity::new();
    let mut activity_rng = SplitMix64::new(activity::stream_seed(config.seed));
    let mut activity_report_id = 0;
    for index in 0..hours {
        let hour_start = start + index as i64 * hour;
        for (device_index, device) in devices.iter().enumerate() {
            let public_ip = fleet::public_ip_at(device, hour_start.div_euclid(hour));
            writer.public_ips[device_index].insert(public_ip.to_string());
            let time = hour_start + rng.below(60 * MICROS_PER_SECOND as u64) as i64;
            let report_id = writer.next_report_id();
            writer.write(
                device_index,
                &fleet::device_info(device, time, public_ip, report_id),
            )?;
        }
        for _ in share(config.network_events, index, hours) {
            let device_index = rng.below(devices.len() as u64) as usize;
            let time = hour_start + rng.below(hour as u64) as i64;
            let report_id = writer.next_report_id();
            let row = behaviour.connection(&mut rng, &addresses, &devices[device_index], time, report_id);
            writer.write(device_index, &row)?;
        }
        for _ in share(process_events, index, hours) {
            let device_index = rng.below(devices.len() as u64) as usize;
            let time = hour_start + rng.below(hour as u64) as i64;
            let report_id = writer.next_report_id();
            let row = behaviour.process(&mut rng, &devices[device_index], time, report_id);
            writer.write(device_index, &row)?;
        }
        // A daily snapshot of each device's network adapter.
        if index % 24 == 0 {
            for (device_index, device) in devices.iter().enumerate() {
                let time = hour_start + activity_rng.below(60 * MICROS_PER_SECOND as u64) as i64;
                activity_report_id += 1;
                let row = Activity::network_info(device, time, activity_report_id);
                writer.write(device_index, &row)?;
            }
        }
        for (table, per_network_event) in EVENT_TABLES {
            for _ in share(config.network_events / per_network_event, index, hours) {
                let device_index = activity_rng.below(devices.len() as u64) as usize;
                let time = hour_start + activity_rng.below(hour as u64) as i64;
                activity_report_id += 1;
                let row = activity.event(
                    table,
                    &mut activity_rng,
                    &devices[device_index],
                    time,
                    activity_report_id,
                );
                writer.write(device_index, &row)?;
            }
        }
        while let Some(event) = pending.next_if(|e| e.time < hour_start + hour) {
            planted.push(writer.plant(event, &devices[event.device])?);
        }
    }
    let (rows, bytes) = writer.sink.finish()?;
    let founding_rows = planted
        .iter()
        .filter(|p| p.expected_rules.iter().any(|r| r == TOR_CONNECTION_ESTABLISHED))
        .count() as u64;
    // The relay query joins each connection with every IPv4 row listing its address and every distinct
    // (DeviceId, PublicIP) of the device.
    let relay_rows = writer
        .relay_hits
        .iter()
        .zip(&writer.public_ips)
        .map(|(hits, ips)| hits * ips.len() as u64)
        .sum();
    let manifest = Manifest {
        seed: config.seed,
        layout: layout.id().to_string(),
        now: iso_time(end),
        telemetry_dir,
        relay_list,
        relay_list_url: TOR_RELAY_IPS_URL.to_string(),
        devices,
        relays,
        planted,
        rows: rows.into_iter().map(|(t, n)| (t.name().to_string(), n)).collect(),
        bytes,
        expected_rows: BTreeMap::from([
            (TOR_CONNECTION_ESTABLISHED.to_string(), founding_rows),
            (DETECT_TOR_RELAY_CONNECTIVITY.to_string(), relay_rows),
        ]),
    };
    write_manifest(root, &manifest)?;
    Ok(manifest)
}

/// Writes `manifest.json` under `root` (generation does; so does a caller that rewrites the telemetry
/// in another format).
pub fn write_manifest(root: &Path, manifest: &Manifest) -> Result<(), SynthError> {
    let path = root.join("manifest.json");
    let text = serde_json::to_string_pretty(manifest).map_err(|e| SynthError::io(&path, e.into()))?;
    std::fs::write(&path, text).map_err(|e| SynthError::io(&path, e))
}

/// Reads a manifest written by [`generate`].
pub fn read_manifest(root: &Path) -> Result<Manifest, SynthError> {
    let path = root.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| SynthError::io(&path, e))?;
    serde_json::from_str(&text).map_err(|e| SynthError::io(&path, e.into()))
}

/// The rows of hour `index` of `hours` when `total` rows are spread evenly.
fn share(total: u64, index: u64, hours: u64) -> std::ops::Range<u64> {
    0..(total * (index + 1) / hours - total * index / hours)
}

/// Rows go out with consecutive `ReportId`s; connections to listed relays are counted as they pass.
struct Writer {
    sink: Sink,
    next_report_id: i64,
    /// IPv4 relay-list rows per address.
    relay_rows: HashMap<String, u64>,
    /// Per device: relay-list rows its connections match.
    relay_hits: Vec<u64>,
    /// Per device: the distinct public addresses its `DeviceInfo` rows report.
    public_ips: Vec<BTreeSet<String>>,
}

impl Writer {
    fn next_report_id(&mut self) -> i64 {
        self.next_report_id += 1;
        self.next_report_id - 1
    }

    fn write(&mut self, device_index: usize, row: &Row<'_>) -> Result<(), SynthError> {
        if row.table == Table::DeviceNetworkEvents
            && let Some(Field::Text(remote_ip)) = row.fields.get(4)
            && let Some(rows) = self.relay_rows.get(remote_ip.as_ref())
        {
            self.relay_hits[device_index] += rows;
        }
        self.sink.write(row)
    }

    fn plant(&mut self, event: &PlantedEvent, device: &Device) -> Result<Planted, SynthError> {
        let report_id = self.next_report_id();
        let row = match &event.kind {
            EventKind::Process(program) => {
                let binary = Binary::new(*program);
                fleet::process_row(device, &binary, event.time, 4242, report_id).into_owned()
            }
            EventKind::Connection {
                program,
                remote_ip,
                remote_port,
                remote_url,
            } => {
                let binary = Binary::new(*program);
                let connection = Connection {
                    action: "ConnectionSuccess",
                    remote_ip: Some(remote_ip.clone()),
                    remote_port: Some(*remote_port),
                    remote_url,
                    local_port: 50_000,
                    protocol: "Tcp",
                    additional_fields: None,
                };
                fleet::network_row(device, &binary, event.time, connection, 4242, report_id).into_owned()
            }
        };
        let device_index = event.device;
        self.write(device_index, &row)?;
        Ok(Planted {
            scenario: event.scenario.to_string(),
            table: row.table.name().to_string(),
            device_id: device.id.clone(),
            device_name: device.name.clone(),
            time: iso_time(event.time),
            report_id,
            expected_rules: event.expected_rules.iter().map(|r| r.to_string()).collect(),
            explanation: event.explanation.clone(),
        })
    }
}

fn relay_rows_by_ipv4(relays: &[Relay]) -> HashMap<String, u64> {
    let mut rows = HashMap::new();
    for relay in relays.iter().filter(|r| !r.address.contains(':')) {
        *rows.entry(relay.address.clone()).or_default() += 1;
    }
    rows
}

/// `count` relays: three in the documentation range 198.51.100.0/24 (the demo's), then random public
/// addresses, four in ten with an IPv6 address too; ports as relays have them (mostly 9001 and 443).
fn synthetic_relays(rng: &mut SplitMix64, count: usize) -> Vec<Relay> {
    const NAMED: [(&str, u8, u16, &str); 3] = [
        ("SynthRelayAlpha", 11, 9001, "de"),
        ("SynthRelayBravo", 23, 443, "nl"),
        ("SynthRelayCharlie", 37, 9001, "se"),
    ];
    const COUNTRIES: &[&str] = &[
        "de", "us", "nl", "fr", "se", "ch", "fi", "ca", "gb", "ro", "at", "pl",
    ];
    const PORTS: &[u16] = &[
        9001, 9001, 9001, 9001, 9001, 9001, 443, 443, 443, 9002, 8443, 9100,
    ];
    let mut taken = BTreeSet::new();
    let mut relays = Vec::with_capacity(count);
    for index in 0..count {
        let (nickname, address, port, country) = match NAMED.get(index) {
            Some((nickname, host, port, country)) => (
                nickname.to_string(),
                format!("198.51.100.{host}"),
                *port,
                country.to_string(),
            ),
            None => (
                format!("SynthRelay{index:05}"),
                fleet::public_ipv4(rng),
                *rng.pick(PORTS),
                rng.pick(COUNTRIES).to_string(),
            ),
        };
        if !taken.insert(address.clone()) {
            continue;
        }
        let ipv6 = if index < NAMED.len() {
            Some(format!("2001:db8::{}", index + 1))
        } else {
            (rng.below(10) < 4).then(|| fleet::public_ipv6(rng))
        };
        relays.push(Relay {
            nickname,
            fingerprint: rng.hex(40).to_ascii_uppercase(),
            address,
            ipv6,
            port,
            country,
        });
    }
    relays
}

/// `TorRelayIPs.csv` as the public list has it (PowerShell `Export-Csv`: every value quoted): a row per
/// relay address, IPv4 and IPv6.
fn write_relay_list(path: &Path, relays: &[Relay]) -> Result<(), SynthError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| SynthError::io(parent, e))?;
    }
    let mut text = String::from(
        "\"Nickname\",\"Fingerprint\",\"EntryAddress\",\"IPAddress\",\"Port\",\"AddressType\",\"Hostname\",\"CountryCode\",\"IsRunning\",\"LastChangedIPData\"\r\n",
    );
    for relay in relays {
        let addresses = std::iter::once(relay.address.as_str()).chain(relay.ipv6.as_deref());
        for address in addresses {
            let (entry, kind) = if address.contains(':') {
                (format!("[{address}]:{}", relay.port), "IPv6")
            } else {
                (format!("{address}:{}", relay.port), "IPv4")
            };
            text.push_str(&format!(
                "\"{}\",\"{}\",\"{entry}\",\"{address}\",\"{}\",\"{kind}\",\"{}.relay.example\",\"{}\",\"True\",\"2024-04-01 00:00:00\"\r\n",
                relay.nickname,
                relay.fingerprint,
                relay.port,
                relay.nickname.to_ascii_lowercase(),
                relay.country
            ));
        }
    }
    std::fs::write(path, text).map_err(|e| SynthError::io(path, e))
}
