//! The planted events: a fixed story for the demo (each scenario once, in the last twelve hours), and
//! at scale a known number of further relay connections, torrent traffic and near misses, each with the
//! shipped rules that must (and only those that must) alert on it.

use crate::fleet::{CHROME, Program};
use crate::rng::SplitMix64;
use crate::rule_ids::*;
use crate::table::MICROS_PER_SECOND;
use crate::{Device, FleetConfig, Relay};

const HOUR: i64 = 3600 * MICROS_PER_SECOND;
const DAY: i64 = 24 * HOUR;

/// One planted event, before it becomes a row.
pub struct PlantedEvent {
    pub scenario: &'static str,
    pub device: usize,
    /// Microseconds since the epoch.
    pub time: i64,
    pub kind: EventKind,
    pub expected_rules: Vec<&'static str>,
    pub explanation: String,
}

pub enum EventKind {
    Process(Program),
    Connection {
        program: Program,
        remote_ip: String,
        remote_port: i64,
        remote_url: String,
    },
}

/// Ports the tor-port rule watches (relay, directory, SOCKS and control ports).
const TOR_PORTS: [i64; 5] = [9001, 9030, 9050, 9051, 9150];

const TOR_EXE: Program = Program {
    name: "tor.exe",
    path: r"c:\users\amy\desktop\tor browser\browser\torbrowser\tor\tor.exe",
    command_line: r#""tor.exe" -f torrc"#,
    company: "",
    product: "Tor",
    version: "0.4.8.10",
    description: "",
    size: 9_431_040,
    parent: "firefox.exe",
    system: false,
};
const TOR_BROWSER_FIREFOX: Program = Program {
    name: "firefox.exe",
    path: r"c:\users\amy\desktop\tor browser\browser\firefox.exe",
    command_line: "firefox.exe",
    company: "Mozilla Corporation",
    product: "Tor Browser",
    version: "115.10.0",
    description: "Firefox",
    size: 675_840,
    parent: "explorer.exe",
    system: false,
};
const OBFS4PROXY: Program = Program {
    name: "obfs4proxy.exe",
    path: r"c:\users\bo\appdata\local\tor\obfs4proxy.exe",
    command_line: "obfs4proxy.exe",
    company: "",
    product: "",
    version: "",
    description: "",
    size: 7_340_032,
    parent: "tor.exe",
    system: false,
};
const PYTHON: Program = Program {
    name: "python.exe",
    path: r"c:\users\chen\appdata\local\programs\python\python312\python.exe",
    command_line: "python.exe scrape.py",
    company: "Python Software Foundation",
    product: "Python",
    version: "3.12.3",
    description: "Python",
    size: 103_192,
    parent: "cmd.exe",
    system: false,
};
const INVOICE: Program = Program {
    name: "invoice.exe",
    path: r"c:\users\dana\downloads\invoice.exe",
    command_line: "invoice.exe",
    company: "",
    product: "",
    version: "",
    description: "",
    size: 412_672,
    parent: "outlook.exe",
    system: false,
};
const QBITTORRENT: Program = Program {
    name: "qbittorrent.exe",
    path: r"c:\program files\qbittorrent\qbittorrent.exe",
    command_line: "qbittorrent.exe",
    company: "The qBittorrent project",
    product: "qBittorrent",
    version: "4.6.4",
    description: "qBittorrent - A Bittorrent Client",
    size: 31_457_280,
    parent: "explorer.exe",
    system: false,
};
const UTORRENT: Program = Program {
    name: "utorrent.exe",
    path: r"c:\users\eli\appdata\roaming\utorrent\utorrent.exe",
    command_line: r#""utorrent.exe" /MINIMIZED"#,
    company: "BitTorrent Inc.",
    product: "µTorrent",
    version: "3.6.0",
    description: "µTorrent",
    size: 2_097_152,
    parent: "explorer.exe",
    system: false,
};
const VUZE: Program = Program {
    name: "Vuze.exe",
    path: r"c:\program files\vuze\vuze.exe",
    command_line: "Vuze.exe",
    company: "Azureus Software, Inc.",
    product: "Vuze",
    version: "5.7.7.0",
    description: "Vuze",
    size: 1_572_864,
    parent: "explorer.exe",
    system: false,
};
const MSEDGE_TORPROJECT: Program = Program {
    name: "msedge.exe",
    path: r"c:\program files (x86)\microsoft\edge\application\msedge.exe",
    command_line: "msedge.exe",
    company: "Microsoft Corporation",
    product: "Microsoft Edge",
    version: "124.0.2478.80",
    description: "Microsoft Edge",
    size: 4_194_304,
    parent: "explorer.exe",
    system: false,
};

/// The scenarios use the first seven devices.
pub const PLANTED_DEVICES: usize = 7;

/// Scale: one planted event of each kind per this many network events.
const EVENTS_PER_PLANTED: u64 = 20_000;

/// All planted events, in time order. `ipv4_relays` has at least two entries.
pub fn plant(
    rng: &mut SplitMix64,
    config: &FleetConfig,
    devices: &[Device],
    ipv4_relays: &[&Relay],
) -> Vec<PlantedEvent> {
    let end = config.end * MICROS_PER_SECOND;
    let start = end - config.days * DAY;
    let mut events = story(rng, end, devices, ipv4_relays);
    let extra = config.network_events / EVENTS_PER_PLANTED;
    for index in 0..extra {
        // The time-aware relay rule knows the relay list from the day before `now` on.
        let recent = end - 20 * HOUR + rng.below(20 * HOUR as u64) as i64;
        let anytime = start + rng.below((end - start) as u64) as i64;
        let device = rng.below(devices.len() as u64) as usize;
        events.push(relay_connection(rng, index, recent, device, ipv4_relays));
        events.push(torrent(rng, index, anytime, end, device));
        let anytime = start + rng.below((end - start) as u64) as i64;
        events.push(near_miss(index, anytime, device));
    }
    events.sort_by_key(|e| e.time);
    events
}

fn connection(program: Program, remote_ip: &str, remote_port: i64, remote_url: &str) -> EventKind {
    EventKind::Connection {
        program,
        remote_ip: remote_ip.to_string(),
        remote_port,
        remote_url: remote_url.to_string(),
    }
}

/// The founding URL / process-name rule looks back one day from `now`.
fn founding_if_recent(time: i64, end: i64) -> Option<&'static str> {
    (time > end - DAY).then_some(TOR_CONNECTION_ESTABLISHED)
}

fn relay_connection(
    rng: &mut SplitMix64,
    index: u64,
    time: i64,
    device: usize,
    ipv4_relays: &[&Relay],
) -> PlantedEvent {
    let relay = *rng.pick(ipv4_relays);
    let program = if index.is_multiple_of(2) {
        TOR_EXE
    } else {
        OBFS4PROXY
    };
    let mut expected_rules = vec![DETECT_TOR_RELAY_CONNECTIVITY, TOR_RELAY_CONNECTION];
    if TOR_PORTS.contains(&i64::from(relay.port)) {
        expected_rules.push(TOR_PORT_CONNECTION);
    }
    PlantedEvent {
        scenario: "relay-connection",
        device,
        time,
        kind: connection(program, &relay.address, i64::from(relay.port), ""),
        expected_rules,
        explanation: format!(
            "{} connected to relay {} ({}:{}).",
            program.name, relay.nickname, relay.address, relay.port
        ),
    }
}

fn torrent(rng: &mut SplitMix64, index: u64, time: i64, end: i64, device: usize) -> PlantedEvent {
    let peer = format!("203.0.113.{}", 100 + rng.below(100));
    let founding = founding_if_recent(time, end);
    let (scenario, kind, mut expected_rules, explanation) = match index % 3 {
        0 => (
            "vuze-peer",
            connection(VUZE, &peer, 6881, ""),
            vec![TORRENT_CLIENT_ACTIVITY],
            "Vuze connected to a peer.",
        ),
        1 => (
            "torrent-site",
            connection(CHROME, &peer, 443, "www.torrent-index.example"),
            vec![],
            "A browser opened a torrent index site.",
        ),
        _ => (
            "utorrent-peer",
            connection(UTORRENT, &peer, 51413, ""),
            vec![TORRENT_CLIENT_ACTIVITY],
            "µTorrent connected to a peer; the founding rule's `has \"torrent\"` is a term match and misses utorrent.exe.",
        ),
    };
    if index % 3 != 2 {
        expected_rules.extend(founding);
    }
    PlantedEvent {
        scenario,
        device,
        time,
        kind,
        expected_rules,
        explanation: explanation.to_string(),
    }
}

fn near_miss(index: u64, time: i64, device: usize) -> PlantedEvent {
    let (scenario, kind, explanation) = match index % 3 {
        0 => (
            "weather-site",
            connection(CHROME, "203.0.113.90", 443, "www.torrentialweather.example"),
            "Near miss: `torrentialweather` is not the term `torrent`.",
        ),
        1 => (
            "tor-browser-socks",
            connection(TOR_BROWSER_FIREFOX, "127.0.0.1", 9150, ""),
            "Near miss: Tor Browser's firefox.exe used its own SOCKS port; browsers are excluded from the Tor-port rule.",
        ),
        _ => (
            "torproject-download",
            connection(MSEDGE_TORPROJECT, "203.0.113.81", 443, "www.torproject.org"),
            "Near miss: visiting torproject.org is not Tor traffic.",
        ),
    };
    PlantedEvent {
        scenario,
        device,
        time,
        kind,
        expected_rules: Vec::new(),
        explanation: explanation.to_string(),
    }
}

/// The demo's story: each scenario once, ten minutes apart in the last twelve hours.
fn story(rng: &mut SplitMix64, end: i64, devices: &[Device], relays: &[&Relay]) -> Vec<PlantedEvent> {
    let onion = (0..16)
        .map(|_| char::from(b'a' + rng.below(26) as u8))
        .collect::<String>();
    let (alpha, bravo) = (relays[0], relays[1]);
    let user = |index: usize| devices[index].user.as_str();
    let steps: Vec<(&'static str, usize, EventKind, Vec<&'static str>, String)> = vec![
        (
            "tor-browser-started",
            0,
            EventKind::Process(TOR_EXE),
            vec![TOR_CLIENT_PROCESS],
            format!("{} ran tor.exe from a Tor Browser folder on the desktop.", user(0)),
        ),
        (
            "tor-browser-firefox",
            0,
            EventKind::Process(TOR_BROWSER_FIREFOX),
            vec![TOR_CLIENT_PROCESS],
            "Tor Browser's own firefox.exe started: its folder is a Tor Browser folder.".to_string(),
        ),
        (
            "tor-relay-connection",
            0,
            connection(TOR_EXE, &alpha.address, 9001, ""),
            vec![TOR_PORT_CONNECTION, DETECT_TOR_RELAY_CONNECTIVITY, TOR_RELAY_CONNECTION],
            format!(
                "tor.exe connected to relay {} ({}) on its ORPort 9001: a listed relay address, and a Tor port from a non-browser process.",
                alpha.nickname, alpha.address
            ),
        ),
        (
            "tor-browser-socks",
            0,
            connection(TOR_BROWSER_FIREFOX, "127.0.0.1", 9150, ""),
            vec![],
            "Near miss: Tor Browser's firefox.exe used its own SOCKS port 9150; browsers are excluded from the Tor-port rule."
                .to_string(),
        ),
        (
            "obfs4proxy-started",
            1,
            EventKind::Process(OBFS4PROXY),
            vec![TOR_CLIENT_PROCESS],
            "The obfs4 pluggable transport started: Tor bridged to hide that it is Tor.".to_string(),
        ),
        (
            "bridge-connection",
            1,
            connection(OBFS4PROXY, &bravo.address, 443, ""),
            vec![DETECT_TOR_RELAY_CONNECTIVITY, TOR_RELAY_CONNECTION],
            format!(
                "obfs4proxy.exe reached relay {} ({}) on port 443: only the relay list catches it, the port looks like HTTPS.",
                bravo.nickname, bravo.address
            ),
        ),
        (
            "script-through-tor",
            2,
            connection(PYTHON, "127.0.0.1", 9050, ""),
            vec![TOR_PORT_CONNECTION],
            "A Python script sent traffic through a local Tor SOCKS port (127.0.0.1:9050).".to_string(),
        ),
        (
            "tor2web-c2",
            3,
            connection(INVOICE, "203.0.113.200", 80, &format!("http://{onion}.onion.ly/gate.php")),
            vec![ONION_DOMAIN_ACCESS],
            "A downloaded invoice.exe called an onion service through the onion.ly tor2web gateway, as ransomware does to reach its C2."
                .to_string(),
        ),
        (
            "torrent-peer",
            4,
            connection(QBITTORRENT, "203.0.113.77", 51413, ""),
            vec![TORRENT_CLIENT_ACTIVITY],
            "qBittorrent connected to a peer.".to_string(),
        ),
        (
            "torrent-tracker",
            4,
            connection(QBITTORRENT, "203.0.113.78", 1337, "udp://tracker.opentrackr.example:1337/announce"),
            vec![TORRENT_CLIENT_ACTIVITY],
            "qBittorrent announced to a UDP tracker. The founding rule misses it: `has \"torrent\"` is a term match and neither the URL nor `qbittorrent.exe` has the term."
                .to_string(),
        ),
        (
            "vuze",
            5,
            connection(VUZE, "203.0.113.79", 6881, ""),
            vec![TORRENT_CLIENT_ACTIVITY, TOR_CONNECTION_ESTABLISHED],
            "The Vuze (Azureus) client connected to a peer; the founding rule names Vuze.".to_string(),
        ),
        (
            "torrent-site",
            6,
            connection(CHROME, "203.0.113.80", 443, "www.torrent-index.example"),
            vec![TOR_CONNECTION_ESTABLISHED],
            "A browser opened a torrent index site: the founding rule matches the term `torrent` in the URL."
                .to_string(),
        ),
        (
            "torproject-download",
            6,
            connection(MSEDGE_TORPROJECT, "203.0.113.81", 443, "www.torproject.org"),
            vec![],
            "Near miss: visiting torproject.org is not Tor traffic, and no rule alerts on it.".to_string(),
        ),
    ];
    steps
        .into_iter()
        .enumerate()
        .map(
            |(index, (scenario, device, kind, expected_rules, explanation))| PlantedEvent {
                scenario,
                device,
                time: end - 12 * HOUR + index as i64 * 10 * 60 * MICROS_PER_SECOND,
                kind,
                expected_rules,
                explanation,
            },
        )
        .collect()
}
