//! Synthetic Defender for Endpoint fleets: devices, benign traffic, and a few planted Tor and torrent
//! events, written as Streaming API NDJSON, portal CSV or flat NDJSON, with a clearly synthetic Tor
//! relay list (`TorRelayIPs.csv`, documentation address ranges) and a manifest of what was planted and
//! which shipped rules must fire on it.
//!
//! Deterministic: one seed gives the same files byte for byte. Rows are written as they are generated,
//! never collected, so the same code scales to benchmark-sized fleets.
//!
//! Layout under the output folder: `telemetry/` (the data), `intel/TorRelayIPs.csv`, `manifest.json`.

mod rng;
mod sink;
mod table;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use rng::SplitMix64;
pub use sink::{Layout, Sink};
pub use table::{Field, Row, Table, iso_time};

/// The URL `DetectTorRelayConnectivity` reads its relay list from; demos map it to the synthetic list.
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
    /// Benign network events per device (process events are a quarter of that).
    pub benign_events_per_device: usize,
    /// The end of the telemetry, in seconds since the Unix epoch; hunts use it as `--now`.
    pub end: i64,
    /// How many days of telemetry before `end`.
    pub days: i64,
}

impl Default for FleetConfig {
    fn default() -> FleetConfig {
        FleetConfig {
            seed: 7,
            devices: 8,
            benign_events_per_device: 60,
            // 2024-05-02T00:00:00Z
            end: 1_714_608_000,
            days: 3,
        }
    }
}

/// What was generated, for tests and the demo's explanation.
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
    pub rows: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub id: String,
    pub name: String,
    pub public_ip: String,
    pub local_ip: String,
    pub user: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relay {
    pub nickname: String,
    pub fingerprint: String,
    pub address: String,
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
    let devices = devices(&mut rng, config.devices.max(PLANTED_DEVICES));
    let relays = relays(&mut rng);
    let telemetry_dir = PathBuf::from("telemetry");
    let relay_list = PathBuf::from("intel").join("TorRelayIPs.csv");
    write_relay_list(&root.join(&relay_list), &relays)?;

    let mut fleet = Fleet {
        sink: Sink::new(layout, &root.join(&telemetry_dir))?,
        next_report_id: 1,
    };
    let start = config.end - config.days * 86_400;
    for device in &devices {
        for day in 0..config.days {
            fleet.write(Table::DeviceInfo, device_info(device, start + day * 86_400))?;
        }
        for _ in 0..config.benign_events_per_device {
            let time = start + rng.below((config.end - start - 1) as u64) as i64;
            fleet.write(
                Table::DeviceNetworkEvents,
                benign_connection(&mut rng, device, time),
            )?;
        }
        for _ in 0..config.benign_events_per_device / 4 {
            let time = start + rng.below((config.end - start - 1) as u64) as i64;
            fleet.write(Table::DeviceProcessEvents, benign_process(&mut rng, device, time))?;
        }
    }
    let mut planted = Vec::new();
    for (index, scenario) in scenarios(&mut rng, &devices, &relays).into_iter().enumerate() {
        // Ten minutes apart in the last twelve hours, so every rule's window (one day at least) holds them.
        let time = config.end - 12 * 3600 + index as i64 * 600;
        let device = &devices[scenario.device];
        let (table, fields) = scenario.event.fields(device, time);
        let report_id = fleet.write(table, fields)?;
        planted.push(Planted {
            scenario: scenario.name.to_string(),
            table: table.name().to_string(),
            device_id: device.id.clone(),
            device_name: device.name.clone(),
            time: iso_time(time),
            report_id,
            expected_rules: scenario.expected_rules.iter().map(|r| r.to_string()).collect(),
            explanation: scenario.explanation,
        });
    }
    let rows = fleet.sink.finish()?;
    let manifest = Manifest {
        seed: config.seed,
        layout: layout.id().to_string(),
        now: iso_time(config.end),
        telemetry_dir,
        relay_list,
        relay_list_url: TOR_RELAY_IPS_URL.to_string(),
        devices,
        relays,
        planted,
        rows,
    };
    let path = root.join("manifest.json");
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| SynthError::io(&path, e.into()))?;
    std::fs::write(&path, text).map_err(|e| SynthError::io(&path, e))?;
    Ok(manifest)
}

/// Reads a manifest written by [`generate`].
pub fn read_manifest(root: &Path) -> Result<Manifest, SynthError> {
    let path = root.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| SynthError::io(&path, e))?;
    serde_json::from_str(&text).map_err(|e| SynthError::io(&path, e.into()))
}

struct Fleet {
    sink: Sink,
    next_report_id: i64,
}

impl Fleet {
    /// Writes a row (fields without `ReportId`, which is appended); returns its `ReportId`.
    fn write(&mut self, table: Table, mut fields: Vec<Field>) -> Result<i64, SynthError> {
        let report_id = self.next_report_id;
        self.next_report_id += 1;
        fields.push(Field::Number(report_id));
        self.sink.write(&Row { table, fields })?;
        Ok(report_id)
    }
}

/// The scenarios use the first seven devices.
const PLANTED_DEVICES: usize = 7;

fn devices(rng: &mut SplitMix64, count: usize) -> Vec<Device> {
    const USERS: &[&str] = &[
        "amy", "bo", "chen", "dana", "eli", "fatima", "gus", "hiro", "ines", "jon",
    ];
    (0..count)
        .map(|index| Device {
            id: rng.hex(40),
            name: format!("ws-{:03}.corp.example", index + 1),
            public_ip: format!("192.0.2.{}", 10 + index % 200),
            local_ip: format!("10.1.{}.{}", index / 200, 10 + index % 200),
            user: USERS[index % USERS.len()].to_string(),
        })
        .collect()
}

fn relays(rng: &mut SplitMix64) -> Vec<Relay> {
    [
        ("SynthRelayAlpha", 11, 9001, "de"),
        ("SynthRelayBravo", 23, 443, "nl"),
        ("SynthRelayCharlie", 37, 9001, "se"),
    ]
    .into_iter()
    .map(|(nickname, host, port, country)| Relay {
        nickname: nickname.to_string(),
        fingerprint: rng.hex(40).to_ascii_uppercase(),
        address: format!("198.51.100.{host}"),
        port,
        country: country.to_string(),
    })
    .collect()
}

/// `TorRelayIPs.csv` as the public list has it (PowerShell `Export-Csv`: every value quoted), with an
/// IPv6 row per relay that the founding rule filters out.
fn write_relay_list(path: &Path, relays: &[Relay]) -> Result<(), SynthError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| SynthError::io(parent, e))?;
    }
    let mut text = String::from(
        "\"Nickname\",\"Fingerprint\",\"EntryAddress\",\"IPAddress\",\"Port\",\"AddressType\",\"Hostname\",\"CountryCode\",\"IsRunning\",\"LastChangedIPData\"\r\n",
    );
    for (index, relay) in relays.iter().enumerate() {
        let ipv6 = format!("2001:db8::{}", index + 1);
        for (entry, address, kind) in [
            (
                format!("{}:{}", relay.address, relay.port),
                relay.address.clone(),
                "IPv4",
            ),
            (format!("[{ipv6}]:{}", relay.port), ipv6.clone(), "IPv6"),
        ] {
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

fn device_info(device: &Device, time: i64) -> Vec<Field> {
    vec![
        Field::Time(time),
        Field::Text(device.id.clone()),
        Field::Text(device.name.clone()),
        Field::Text(device.public_ip.clone()),
        Field::Text("Windows11".to_string()),
    ]
}

/// Everyday traffic no shipped rule matches: browsers and Office to well-known sites on 443/80, DNS.
fn benign_connection(rng: &mut SplitMix64, device: &Device, time: i64) -> Vec<Field> {
    const PROCESSES: &[(&str, &str)] = &[
        (
            "chrome.exe",
            r"c:\program files\google\chrome\application\chrome.exe",
        ),
        (
            "msedge.exe",
            r"c:\program files (x86)\microsoft\edge\application\msedge.exe",
        ),
        (
            "ms-teams.exe",
            r"c:\program files\windowsapps\msteams\ms-teams.exe",
        ),
        (
            "outlook.exe",
            r"c:\program files\microsoft office\root\office16\outlook.exe",
        ),
        (
            "onedrive.exe",
            r"c:\program files\microsoft onedrive\onedrive.exe",
        ),
    ];
    const URLS: &[&str] = &[
        "www.microsoft.com",
        "login.microsoftonline.com",
        "outlook.office365.com",
        "teams.microsoft.com",
        "www.google.com",
        "github.com",
        "www.wikipedia.org",
        "update.googleapis.com",
        "cdn.contoso.example",
    ];
    if rng.below(10) == 0 {
        let svchost = Process {
            name: "svchost.exe",
            path: r"c:\windows\system32\svchost.exe",
            command_line: "svchost.exe -k NetworkService",
        };
        return Connection {
            action: "ConnectionSuccess",
            remote_ip: "10.1.0.1".into(),
            port: 53,
            url: String::new(),
            process: svchost,
            protocol: "Udp",
        }
        .fields(rng, device, time);
    }
    let (name, path) = *rng.pick(PROCESSES);
    let process = Process {
        name,
        path,
        command_line: name,
    };
    let remote_ip = format!("203.0.113.{}", 1 + rng.below(250));
    let port = if rng.below(5) == 0 { 80 } else { 443 };
    Connection {
        action: "ConnectionSuccess",
        remote_ip,
        port,
        url: rng.pick(URLS).to_string(),
        process,
        protocol: "Tcp",
    }
    .fields(rng, device, time)
}

fn benign_process(rng: &mut SplitMix64, device: &Device, time: i64) -> Vec<Field> {
    const PROCESSES: &[(&str, &str)] = &[
        (
            "chrome.exe",
            r"C:\Program Files\Google\Chrome\Application\chrome.exe",
        ),
        (
            "winword.exe",
            r"C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE",
        ),
        (
            "excel.exe",
            r"C:\Program Files\Microsoft Office\root\Office16\EXCEL.EXE",
        ),
        (
            "powershell.exe",
            r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe",
        ),
        ("notepad.exe", r"C:\Windows\System32\notepad.exe"),
    ];
    let (name, path) = *rng.pick(PROCESSES);
    process_fields(device, time, name, path, name)
}

#[derive(Clone, Copy)]
struct Process {
    name: &'static str,
    path: &'static str,
    command_line: &'static str,
}

struct Connection {
    action: &'static str,
    remote_ip: String,
    port: i64,
    url: String,
    process: Process,
    protocol: &'static str,
}

impl Connection {
    fn fields(self, rng: &mut SplitMix64, device: &Device, time: i64) -> Vec<Field> {
        let local_port = 49_152 + rng.below(16_000) as i64;
        connection_fields(device, time, &self, local_port)
    }
}

fn connection_fields(device: &Device, time: i64, connection: &Connection, local_port: i64) -> Vec<Field> {
    vec![
        Field::Time(time),
        Field::Text(device.id.clone()),
        Field::Text(device.name.clone()),
        Field::Text(connection.action.to_string()),
        Field::Text(connection.remote_ip.clone()),
        Field::Number(connection.port),
        Field::Text(connection.url.clone()),
        Field::Text(device.local_ip.clone()),
        Field::Number(local_port),
        Field::Text(connection.protocol.to_string()),
        Field::Text(connection.process.name.to_string()),
        Field::Text(connection.process.path.to_string()),
        Field::Text(connection.process.command_line.to_string()),
        Field::Text(device.user.clone()),
    ]
}

fn process_fields(device: &Device, time: i64, name: &str, path: &str, command_line: &str) -> Vec<Field> {
    vec![
        Field::Time(time),
        Field::Text(device.id.clone()),
        Field::Text(device.name.clone()),
        Field::Text("ProcessCreated".to_string()),
        Field::Text(name.to_string()),
        Field::Text(path.to_string()),
        Field::Text(command_line.to_string()),
        Field::Text(device.user.clone()),
        Field::Text("explorer.exe".to_string()),
    ]
}

/// A planted event, before it has a time and a `ReportId`.
enum PlantedEvent {
    Process {
        name: &'static str,
        path: &'static str,
        command_line: &'static str,
    },
    Connection(Connection),
}

impl PlantedEvent {
    fn fields(&self, device: &Device, time: i64) -> (Table, Vec<Field>) {
        match self {
            PlantedEvent::Process {
                name,
                path,
                command_line,
            } => (
                Table::DeviceProcessEvents,
                process_fields(device, time, name, path, command_line),
            ),
            PlantedEvent::Connection(connection) => (
                Table::DeviceNetworkEvents,
                connection_fields(device, time, connection, 50_000),
            ),
        }
    }
}

struct Scenario {
    name: &'static str,
    device: usize,
    event: PlantedEvent,
    expected_rules: &'static [&'static str],
    explanation: String,
}

const TOR_EXE: Process = Process {
    name: "tor.exe",
    path: r"c:\users\amy\desktop\tor browser\browser\torbrowser\tor\tor.exe",
    command_line: r#""tor.exe" -f torrc"#,
};
const TOR_BROWSER_FIREFOX: Process = Process {
    name: "firefox.exe",
    path: r"c:\users\amy\desktop\tor browser\browser\firefox.exe",
    command_line: "firefox.exe",
};
const OBFS4PROXY: Process = Process {
    name: "obfs4proxy.exe",
    path: r"c:\users\bo\appdata\local\tor\obfs4proxy.exe",
    command_line: "obfs4proxy.exe",
};
const CHROME: Process = Process {
    name: "chrome.exe",
    path: r"c:\program files\google\chrome\application\chrome.exe",
    command_line: "chrome.exe",
};
const QBITTORRENT: Process = Process {
    name: "qbittorrent.exe",
    path: r"c:\program files\qbittorrent\qbittorrent.exe",
    command_line: "qbittorrent.exe",
};

/// The planted events, in the order they happen, with the rules each must trigger.
fn scenarios(rng: &mut SplitMix64, devices: &[Device], relays: &[Relay]) -> Vec<Scenario> {
    let onion = (0..16)
        .map(|_| char::from(b'a' + rng.below(26) as u8))
        .collect::<String>();
    let connection = |action, remote_ip: &str, port, url: &str, process| {
        PlantedEvent::Connection(Connection {
            action,
            remote_ip: remote_ip.to_string(),
            port,
            url: url.to_string(),
            process,
            protocol: "Tcp",
        })
    };
    let relay = |index: usize| (&relays[index].address, relays[index].nickname.as_str());
    vec![
        Scenario {
            name: "tor-browser-started",
            device: 0,
            event: PlantedEvent::Process { name: "tor.exe", path: TOR_EXE.path, command_line: TOR_EXE.command_line },
            expected_rules: &[TOR_CLIENT_PROCESS],
            explanation: format!("{} ran tor.exe from a Tor Browser folder on the desktop.", devices[0].user),
        },
        Scenario {
            name: "tor-browser-firefox",
            device: 0,
            event: PlantedEvent::Process {
                name: "firefox.exe",
                path: TOR_BROWSER_FIREFOX.path,
                command_line: TOR_BROWSER_FIREFOX.command_line,
            },
            expected_rules: &[TOR_CLIENT_PROCESS],
            explanation: "Tor Browser's own firefox.exe started: its folder is a Tor Browser folder.".to_string(),
        },
        Scenario {
            name: "tor-relay-connection",
            device: 0,
            event: connection("ConnectionSuccess", relay(0).0, 9001, "", TOR_EXE),
            expected_rules: &[TOR_PORT_CONNECTION, DETECT_TOR_RELAY_CONNECTIVITY, TOR_RELAY_CONNECTION],
            explanation: format!(
                "tor.exe connected to relay {} ({}) on its ORPort 9001: a listed relay address, and a Tor port from a non-browser process.",
                relay(0).1,
                relay(0).0
            ),
        },
        Scenario {
            name: "tor-browser-socks",
            device: 0,
            event: connection("ConnectionSuccess", "127.0.0.1", 9150, "", TOR_BROWSER_FIREFOX),
            expected_rules: &[],
            explanation: "Near miss: Tor Browser's firefox.exe used its own SOCKS port 9150; browsers are excluded from the Tor-port rule."
                .to_string(),
        },
        Scenario {
            name: "obfs4proxy-started",
            device: 1,
            event: PlantedEvent::Process {
                name: OBFS4PROXY.name,
                path: OBFS4PROXY.path,
                command_line: OBFS4PROXY.command_line,
            },
            expected_rules: &[TOR_CLIENT_PROCESS],
            explanation: "The obfs4 pluggable transport started: Tor bridged to hide that it is Tor.".to_string(),
        },
        Scenario {
            name: "bridge-connection",
            device: 1,
            event: connection("ConnectionSuccess", relay(1).0, 443, "", OBFS4PROXY),
            expected_rules: &[DETECT_TOR_RELAY_CONNECTIVITY, TOR_RELAY_CONNECTION],
            explanation: format!(
                "obfs4proxy.exe reached relay {} ({}) on port 443: only the relay list catches it, the port looks like HTTPS.",
                relay(1).1,
                relay(1).0
            ),
        },
        Scenario {
            name: "script-through-tor",
            device: 2,
            event: connection(
                "ConnectionSuccess",
                "127.0.0.1",
                9050,
                "",
                Process { name: "python.exe", path: r"c:\users\chen\appdata\local\programs\python\python312\python.exe", command_line: "python.exe scrape.py" },
            ),
            expected_rules: &[TOR_PORT_CONNECTION],
            explanation: "A Python script sent traffic through a local Tor SOCKS port (127.0.0.1:9050).".to_string(),
        },
        Scenario {
            name: "tor2web-c2",
            device: 3,
            event: connection(
                "ConnectionSuccess",
                "203.0.113.200",
                80,
                &format!("http://{onion}.onion.ly/gate.php"),
                Process { name: "invoice.exe", path: r"c:\users\dana\downloads\invoice.exe", command_line: "invoice.exe" },
            ),
            expected_rules: &[ONION_DOMAIN_ACCESS],
            explanation: "A downloaded invoice.exe called an onion service through the onion.ly tor2web gateway, as ransomware does to reach its C2."
                .to_string(),
        },
        Scenario {
            name: "torrent-peer",
            device: 4,
            event: connection("ConnectionSuccess", "203.0.113.77", 51413, "", QBITTORRENT),
            expected_rules: &[TORRENT_CLIENT_ACTIVITY],
            explanation: "qBittorrent connected to a peer.".to_string(),
        },
        Scenario {
            name: "torrent-tracker",
            device: 4,
            event: connection("ConnectionSuccess", "203.0.113.78", 1337, "udp://tracker.opentrackr.example:1337/announce", QBITTORRENT),
            expected_rules: &[TORRENT_CLIENT_ACTIVITY],
            explanation: "qBittorrent announced to a UDP tracker. The founding rule misses it: `has \"torrent\"` is a term match and neither the URL nor `qbittorrent.exe` has the term."
                .to_string(),
        },
        Scenario {
            name: "vuze",
            device: 5,
            event: connection(
                "ConnectionSuccess",
                "203.0.113.79",
                6881,
                "",
                Process { name: "Vuze.exe", path: r"c:\program files\vuze\vuze.exe", command_line: "Vuze.exe" },
            ),
            expected_rules: &[TORRENT_CLIENT_ACTIVITY, TOR_CONNECTION_ESTABLISHED],
            explanation: "The Vuze (Azureus) client connected to a peer; the founding rule names Vuze.".to_string(),
        },
        Scenario {
            name: "torrent-site",
            device: 6,
            event: connection("ConnectionSuccess", "203.0.113.80", 443, "www.torrent-index.example", CHROME),
            expected_rules: &[TOR_CONNECTION_ESTABLISHED],
            explanation: "A browser opened a torrent index site: the founding rule matches the term `torrent` in the URL."
                .to_string(),
        },
        Scenario {
            name: "torproject-download",
            device: 6,
            event: connection("ConnectionSuccess", "203.0.113.81", 443, "www.torproject.org", CHROME),
            expected_rules: &[],
            explanation: "Near miss: visiting torproject.org is not Tor traffic, and no rule alerts on it.".to_string(),
        },
    ]
}
