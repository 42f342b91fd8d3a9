//! The fleet: devices, the programs they run, the addresses they talk to, and the everyday rows they
//! produce (hourly `DeviceInfo`, benign network and process events no shipped rule matches).

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::rng::SplitMix64;
use crate::table::{Field, MICROS_PER_SECOND, Row, Table};
use crate::{Device, Relay};

/// A program as Defender reports it for the process that opened a connection or started.
#[derive(Debug, Clone, Copy)]
pub struct Program {
    pub name: &'static str,
    /// Full path, lower case, as `InitiatingProcessFolderPath` has it.
    pub path: &'static str,
    pub command_line: &'static str,
    pub company: &'static str,
    pub product: &'static str,
    pub version: &'static str,
    pub description: &'static str,
    pub size: i64,
    pub parent: &'static str,
    /// Runs as SYSTEM (services) rather than as the signed-in user.
    pub system: bool,
}

impl Program {
    const fn user(
        name: &'static str,
        path: &'static str,
        company: &'static str,
        product: &'static str,
    ) -> Program {
        Program {
            name,
            path,
            command_line: name,
            company,
            product,
            version: "1.0.0.0",
            description: product,
            size: 1_048_576,
            parent: "explorer.exe",
            system: false,
        }
    }

    const fn with_command_line(mut self, command_line: &'static str) -> Program {
        self.command_line = command_line;
        self
    }

    const fn service(mut self) -> Program {
        self.parent = "services.exe";
        self.system = true;
        self
    }

    /// Deterministic stand-ins for the file's SHA1, SHA256 and MD5.
    fn hashes(&self) -> (String, String, String) {
        let mut rng = SplitMix64::new(fnv1a(self.path));
        (rng.hex(40), rng.hex(64), rng.hex(32))
    }
}

fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

pub const CHROME: Program = Program::user(
    "chrome.exe",
    r"c:\program files\google\chrome\application\chrome.exe",
    "Google LLC",
    "Google Chrome",
);
const MSEDGE: Program = Program::user(
    "msedge.exe",
    r"c:\program files (x86)\microsoft\edge\application\msedge.exe",
    "Microsoft Corporation",
    "Microsoft Edge",
);
const FIREFOX: Program = Program::user(
    "firefox.exe",
    r"c:\program files\mozilla firefox\firefox.exe",
    "Mozilla Corporation",
    "Firefox",
);
const TEAMS: Program = Program::user(
    "ms-teams.exe",
    r"c:\program files\windowsapps\msteams_24091.214.3341.1097_x64__8wekyb3d8bbwe\ms-teams.exe",
    "Microsoft Corporation",
    "Microsoft Teams",
);
const OUTLOOK: Program = Program::user(
    "outlook.exe",
    r"c:\program files\microsoft office\root\office16\outlook.exe",
    "Microsoft Corporation",
    "Microsoft Outlook",
);
const ONEDRIVE: Program = Program::user(
    "onedrive.exe",
    r"c:\program files\microsoft onedrive\onedrive.exe",
    "Microsoft Corporation",
    "Microsoft OneDrive",
)
.with_command_line(r#""C:\Program Files\Microsoft OneDrive\OneDrive.exe" /background"#);
const ZOOM: Program = Program::user(
    "zoom.exe",
    r"c:\users\public\zoom\bin\zoom.exe",
    "Zoom Video Communications, Inc.",
    "Zoom",
);
const SLACK: Program = Program::user(
    "slack.exe",
    r"c:\program files\slack\slack.exe",
    "Slack Technologies, Inc.",
    "Slack",
);
pub(crate) const SVCHOST: Program = Program::user(
    "svchost.exe",
    r"c:\windows\system32\svchost.exe",
    "Microsoft Corporation",
    "Microsoft® Windows® Operating System",
)
.with_command_line("svchost.exe -k NetworkService -p -s Dnscache")
.service();
pub(crate) const DEFENDER: Program = Program::user(
    "MsMpEng.exe",
    r"c:\programdata\microsoft\windows defender\platform\4.18.24030.9-0\msmpeng.exe",
    "Microsoft Corporation",
    "Microsoft® Windows® Operating System",
)
.service();
const SENSE: Program = Program::user(
    "MsSense.exe",
    r"c:\program files\windows defender advanced threat protection\mssense.exe",
    "Microsoft Corporation",
    "Microsoft Defender for Endpoint",
)
.service();
const POWERSHELL: Program = Program::user(
    "powershell.exe",
    r"c:\windows\system32\windowspowershell\v1.0\powershell.exe",
    "Microsoft Corporation",
    "Microsoft® Windows® Operating System",
)
.with_command_line(r#"powershell.exe -NoProfile -File C:\Scripts\inventory.ps1"#);
const WINWORD: Program = Program::user(
    "WINWORD.EXE",
    r"c:\program files\microsoft office\root\office16\winword.exe",
    "Microsoft Corporation",
    "Microsoft Word",
);
const EXCEL: Program = Program::user(
    "EXCEL.EXE",
    r"c:\program files\microsoft office\root\office16\excel.exe",
    "Microsoft Corporation",
    "Microsoft Excel",
);
const NOTEPAD: Program = Program::user(
    "notepad.exe",
    r"c:\windows\system32\notepad.exe",
    "Microsoft Corporation",
    "Microsoft® Windows® Operating System",
);
const SYSTEM: Program = Program::user("System", "", "", "").service();

/// Where a program connects: weighted share of the fleet's traffic, host names, remote ports.
struct Traffic {
    program: Program,
    weight: u64,
    urls: &'static [&'static str],
    ports: &'static [i64],
}

const WEB: &[i64] = &[443, 443, 443, 443, 80];
/// Everyday traffic. No host, program or port here matches a shipped rule: torhunt's tests and the
/// benchmark count on every alert coming from a planted event.
const TRAFFIC: &[Traffic] = &[
    Traffic {
        program: CHROME,
        weight: 28,
        urls: &[
            "www.google.com",
            "www.youtube.com",
            "github.com",
            "www.wikipedia.org",
            "stackoverflow.com",
            "www.linkedin.com",
            "news.ycombinator.com",
            "docs.python.org",
            "www.torrentialweather.example",
            "cdn.contoso.example",
            "fonts.gstatic.com",
        ],
        ports: WEB,
    },
    Traffic {
        program: MSEDGE,
        weight: 18,
        urls: &[
            "www.bing.com",
            "www.microsoft.com",
            "login.microsoftonline.com",
            "portal.azure.com",
            "www.office.com",
            "edge.microsoft.com",
            "www.torproject.org",
        ],
        ports: WEB,
    },
    Traffic {
        program: FIREFOX,
        weight: 4,
        urls: &[
            "www.mozilla.org",
            "addons.mozilla.org",
            "developer.mozilla.org",
            "www.reddit.com",
        ],
        ports: WEB,
    },
    Traffic {
        program: TEAMS,
        weight: 9,
        urls: &[
            "teams.microsoft.com",
            "teams.events.data.microsoft.com",
            "statics.teams.cdn.office.net",
        ],
        ports: &[443, 443, 3478],
    },
    Traffic {
        program: OUTLOOK,
        weight: 8,
        urls: &[
            "outlook.office365.com",
            "outlook.office.com",
            "autodiscover.contoso.example",
        ],
        ports: &[443],
    },
    Traffic {
        program: ONEDRIVE,
        weight: 5,
        urls: &["contoso-my.sharepoint.com", "g.live.com", "onedrive.live.com"],
        ports: &[443],
    },
    Traffic {
        program: ZOOM,
        weight: 3,
        urls: &["zoom.us", "us04web.zoom.us"],
        ports: &[443, 8801],
    },
    Traffic {
        program: SLACK,
        weight: 3,
        urls: &["slack.com", "edgeapi.slack.com", "files.slack.com"],
        ports: &[443],
    },
    Traffic {
        program: DEFENDER,
        weight: 5,
        urls: &[
            "wdcp.microsoft.com",
            "definitionupdates.microsoft.com",
            "go.microsoft.com",
        ],
        ports: &[443],
    },
    Traffic {
        program: SENSE,
        weight: 4,
        urls: &[
            "winatp-gw-weu.microsoft.com",
            "events.data.microsoft.com",
            "us-v20.events.data.microsoft.com",
        ],
        ports: &[443],
    },
    Traffic {
        program: POWERSHELL,
        weight: 1,
        urls: &["www.powershellgallery.com", "psg-prod-eastus.azureedge.net"],
        ports: &[443],
    },
];

/// What the fleet's processes start (the `DeviceProcessEvents` rows).
pub(crate) const STARTED: &[Program] = &[
    CHROME, MSEDGE, TEAMS, OUTLOOK, WINWORD, EXCEL, NOTEPAD, POWERSHELL,
];

/// A program with its hashes computed once.
pub struct Binary {
    pub program: Program,
    pub(crate) sha1: String,
    pub(crate) sha256: String,
    pub(crate) md5: String,
}

impl Binary {
    pub fn new(program: Program) -> Binary {
        let (sha1, sha256, md5) = program.hashes();
        Binary {
            program,
            sha1,
            sha256,
            md5,
        }
    }
}

/// Addresses of the outside world, disjoint from the relay list so that benign traffic never reaches
/// a listed relay.
pub struct Addresses {
    pub services_v4: Vec<String>,
    pub services_v6: Vec<String>,
}

impl Addresses {
    pub fn new(rng: &mut SplitMix64, relays: &[Relay]) -> Addresses {
        let taken: BTreeSet<String> = relays
            .iter()
            .flat_map(|r| std::iter::once(r.address.clone()).chain(r.ipv6.clone()))
            .collect();
        let mut draw = |count: usize, next: &mut dyn FnMut(&mut SplitMix64) -> String| {
            let mut drawn = BTreeSet::new();
            while drawn.len() < count {
                let address = next(rng);
                if !taken.contains(&address) {
                    drawn.insert(address);
                }
            }
            drawn.into_iter().collect::<Vec<_>>()
        };
        Addresses {
            services_v4: draw(3000, &mut public_ipv4),
            services_v6: draw(500, &mut public_ipv6),
        }
    }
}

/// A random globally routable IPv4 address (no private, shared, loopback, link-local, documentation,
/// benchmarking, multicast or reserved block).
pub fn public_ipv4(rng: &mut SplitMix64) -> String {
    loop {
        let address = Ipv4Addr::from(rng.next_u64() as u32);
        let [a, b, c, _] = address.octets();
        let special = address.is_private()
            || address.is_loopback()
            || address.is_link_local()
            || address.is_documentation()
            || address.is_multicast()
            || address.is_broadcast()
            || a == 0
            || a >= 240
            || (a == 100 && (64..128).contains(&b))
            || (a == 198 && (18..20).contains(&b))
            || (a == 192 && b == 0 && c == 0);
        if !special {
            return address.to_string();
        }
    }
}

/// A random global unicast IPv6 address (2000::/3, outside the documentation prefix).
pub fn public_ipv6(rng: &mut SplitMix64) -> String {
    loop {
        let high = (rng.next_u64() & 0x1fff_ffff_ffff_ffff) | 0x2000_0000_0000_0000;
        let address = Ipv6Addr::from((u128::from(high) << 64) | u128::from(rng.next_u64()));
        if address.segments()[..2] != [0x2001, 0x0db8] {
            return address.to_string();
        }
    }
}

pub fn devices(rng: &mut SplitMix64, count: usize) -> Vec<Device> {
    const USERS: &[&str] = &[
        "amy", "bo", "chen", "dana", "eli", "fatima", "gus", "hiro", "ines", "jon", "kofi", "lena", "mo",
        "nia", "omar", "pia",
    ];
    const OFFICE_EGRESS: &[&str] = &["192.0.2.10", "192.0.2.11", "192.0.2.12", "192.0.2.13"];
    (0..count)
        .map(|index| {
            let office = OFFICE_EGRESS[index % OFFICE_EGRESS.len()].to_string();
            // One device in five is a laptop that also works from home, behind another address.
            let laptop = index % 5 == 4;
            let mut public_ips = vec![office];
            if laptop {
                public_ips.push(format!("203.0.113.{}", 1 + index % 250));
            }
            let user = USERS[index % USERS.len()];
            Device {
                id: rng.hex(40),
                name: format!(
                    "{}-{:04}.corp.example",
                    if laptop { "lt" } else { "ws" },
                    index + 1
                ),
                local_ip: format!(
                    "10.{}.{}.{}",
                    1 + index / 62_500,
                    (index / 250) % 250,
                    10 + index % 250
                ),
                local_ipv6: format!("2001:db8:10:{:x}::{:x}", index / 60_000, 16 + index % 60_000),
                public_ips,
                user: user.to_string(),
                account_sid: format!("S-1-5-21-1004336348-1177238915-682003330-{}", 1100 + index),
                aad_device_id: guid(rng),
                account_object_id: guid(rng),
            }
        })
        .collect()
}

fn guid(rng: &mut SplitMix64) -> String {
    let hex = rng.hex(32);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// The public address a device reports in a given hour: laptops are at home on odd days.
pub fn public_ip_at(device: &Device, hour: i64) -> &str {
    let day = hour.div_euclid(24);
    let at = if day % 2 == 1 {
        device.public_ips.len() - 1
    } else {
        0
    };
    &device.public_ips[at]
}

pub fn device_info(device: &Device, time: i64, public_ip: &str, report_id: i64) -> Row<'static> {
    let text = |s: &str| Field::Text(Cow::Owned(s.to_string()));
    let logged_on = format!(
        r#"[{{"UserName":"{}","DomainName":"CORP","Sid":"{}"}}]"#,
        device.user, device.account_sid
    );
    Row {
        table: Table::DeviceInfo,
        fields: vec![
            Field::Time(time),
            text(&device.id),
            text(&device.name),
            text("10.8760.19041.4355"),
            text(public_ip),
            text("64-bit"),
            text("Windows11"),
            Field::Number(22631),
            Field::Bool(true),
            text("AAD Joined"),
            text(&device.aad_device_id),
            Field::Text(Cow::Owned(logged_on)),
            text("UnassignedGroup"),
            text("23H2"),
            text("Onboarded"),
            text("Endpoint"),
            text("Workstation"),
            text("Latitude 7440"),
            text("Dell Inc."),
            text("Windows"),
            Field::Number(report_id),
        ],
    }
}

/// One network event's specifics; the rest of the row comes from the device and the program.
pub struct Connection<'a> {
    pub action: &'static str,
    pub remote_ip: Option<String>,
    pub remote_port: Option<i64>,
    pub remote_url: &'a str,
    pub local_port: i64,
    pub protocol: &'static str,
    pub additional_fields: Option<String>,
}

/// The `*IPType` Defender gives an address.
fn ip_type(address: &str) -> &'static str {
    match address.parse::<std::net::IpAddr>() {
        Ok(ip) if ip.is_loopback() => "Loopback",
        Ok(std::net::IpAddr::V4(v4)) if v4.is_private() => "Private",
        Ok(std::net::IpAddr::V4(v4)) if v4.is_unspecified() => "Reserved",
        Ok(std::net::IpAddr::V6(v6)) if v6.is_unspecified() => "Reserved",
        Ok(_) => "Public",
        Err(_) => "Public",
    }
}

pub fn network_row<'a>(
    device: &'a Device,
    binary: &'a Binary,
    time: i64,
    connection: Connection<'a>,
    process_id: i64,
    report_id: i64,
) -> Row<'a> {
    let program = &binary.program;
    let borrowed = |s: &'a str| Field::Text(Cow::Borrowed(s));
    let optional = |s: &'a str| if s.is_empty() { Field::Null } else { borrowed(s) };
    let local_ip = match &connection.remote_ip {
        Some(ip) if ip.contains(':') && !ip.starts_with("::ffff:") => device.local_ipv6.as_str(),
        Some(ip) if ip == "127.0.0.1" => "127.0.0.1",
        _ => device.local_ip.as_str(),
    };
    let (domain, account, sid, upn, object_id) = if program.system {
        ("nt authority", "system", "S-1-5-18", "", "")
    } else {
        (
            "corp",
            device.user.as_str(),
            device.account_sid.as_str(),
            "",
            device.account_object_id.as_str(),
        )
    };
    // Processes started some hours before their connections.
    let created = time - (process_id % 7 + 1) * 3600 * MICROS_PER_SECOND;
    Row {
        table: Table::DeviceNetworkEvents,
        fields: vec![
            Field::Time(time),
            borrowed(&device.id),
            borrowed(&device.name),
            borrowed(connection.action),
            connection
                .remote_ip
                .as_deref()
                .map_or(Field::Null, |ip| Field::Text(Cow::Owned(ip.to_string()))),
            connection.remote_port.map_or(Field::Null, Field::Number),
            optional(connection.remote_url),
            borrowed(local_ip),
            Field::Number(connection.local_port),
            borrowed(connection.protocol),
            borrowed(ip_type(local_ip)),
            connection
                .remote_ip
                .as_deref()
                .map_or(Field::Null, |ip| borrowed(ip_type(ip))),
            optional(&binary.sha1),
            optional(&binary.sha256),
            optional(&binary.md5),
            borrowed(program.name),
            Field::Number(program.size),
            optional(program.company),
            optional(program.product),
            borrowed(program.version),
            borrowed(program.name),
            optional(program.description),
            Field::Number(process_id),
            borrowed(program.command_line),
            Field::Time(created),
            optional(program.path),
            borrowed(program.parent),
            Field::Number(process_id / 2 + 4),
            Field::Time(created - 60 * MICROS_PER_SECOND),
            borrowed(domain),
            borrowed(account),
            borrowed(sid),
            optional(upn),
            optional(object_id),
            borrowed(if program.system { "System" } else { "Medium" }),
            borrowed(if program.system { "Default" } else { "Limited" }),
            Field::Number(report_id),
            Field::Null,
            connection
                .additional_fields
                .map_or(Field::Null, |json| Field::Text(Cow::Owned(json))),
        ],
    }
}

pub fn process_row<'a>(
    device: &'a Device,
    binary: &'a Binary,
    time: i64,
    process_id: i64,
    report_id: i64,
) -> Row<'a> {
    let program = &binary.program;
    let borrowed = |s: &'a str| Field::Text(Cow::Borrowed(s));
    Row {
        table: Table::DeviceProcessEvents,
        fields: vec![
            Field::Time(time),
            borrowed(&device.id),
            borrowed(&device.name),
            borrowed("ProcessCreated"),
            borrowed(program.name),
            borrowed(program.path),
            borrowed(&binary.sha1),
            borrowed(&binary.sha256),
            borrowed(&binary.md5),
            Field::Number(program.size),
            borrowed(program.company),
            borrowed(program.product),
            borrowed(program.name),
            Field::Number(process_id),
            borrowed(program.command_line),
            borrowed("Medium"),
            borrowed("Limited"),
            Field::Time(time),
            borrowed("corp"),
            borrowed(&device.user),
            borrowed(&device.account_sid),
            Field::Null,
            borrowed(program.parent),
            borrowed(r"c:\windows\explorer.exe"),
            Field::Number(process_id / 2 + 4),
            borrowed("explorer.exe"),
            borrowed(&device.user),
            Field::Number(report_id),
        ],
    }
}

/// The fleet's everyday behaviour, with hashes computed once.
pub struct Behaviour {
    traffic: Vec<(Binary, &'static Traffic)>,
    total_weight: u64,
    started: Vec<Binary>,
    dns: Binary,
    system: Binary,
}

impl Behaviour {
    pub fn new() -> Behaviour {
        Behaviour {
            traffic: TRAFFIC.iter().map(|t| (Binary::new(t.program), t)).collect(),
            total_weight: TRAFFIC.iter().map(|t| t.weight).sum(),
            started: STARTED.iter().map(|p| Binary::new(*p)).collect(),
            dns: Binary::new(SVCHOST),
            system: Binary::new(SYSTEM),
        }
    }

    /// An everyday network event: mostly outbound web traffic, with DNS, failures, listeners and
    /// inbound file-sharing connections in the proportions a Windows fleet shows.
    pub fn connection<'a>(
        &'a self,
        rng: &mut SplitMix64,
        addresses: &Addresses,
        device: &'a Device,
        time: i64,
        report_id: i64,
    ) -> Row<'a> {
        let process_id = 1000 + 4 * rng.below(8000) as i64;
        let local_port = 49_152 + rng.below(16_000) as i64;
        let roll = rng.below(100);
        if roll < 10 {
            let query = format!(
                r#"{{"direction":"Outbound","query":"{}"}}"#,
                rng.pick(TRAFFIC).urls[0]
            );
            let connection = Connection {
                action: if roll < 7 {
                    "ConnectionSuccess"
                } else {
                    "DnsConnectionInspected"
                },
                remote_ip: Some("10.1.0.1".to_string()),
                remote_port: Some(53),
                remote_url: "",
                local_port,
                protocol: "Udp",
                additional_fields: (roll >= 7).then_some(query),
            };
            return network_row(device, &self.dns, time, connection, process_id, report_id);
        }
        if roll < 14 {
            let connection = Connection {
                action: "InboundConnectionAccepted",
                remote_ip: Some(format!("10.1.{}.{}", rng.below(4), 10 + rng.below(200))),
                remote_port: Some(local_port),
                remote_url: "",
                local_port: 445,
                protocol: "Tcp",
                additional_fields: None,
            };
            return network_row(device, &self.system, time, connection, 4, report_id);
        }
        let mut pick = rng.below(self.total_weight);
        let (binary, traffic) = self
            .traffic
            .iter()
            .find(|(_, t)| {
                let hit = pick < t.weight;
                pick = pick.saturating_sub(t.weight);
                hit
            })
            .unwrap_or(&self.traffic[0]);
        if roll < 17 {
            let connection = Connection {
                action: "ListeningConnectionCreated",
                remote_ip: None,
                remote_port: None,
                remote_url: "",
                local_port,
                protocol: "Tcp",
                additional_fields: None,
            };
            return network_row(device, binary, time, connection, process_id, report_id);
        }
        let ipv6 = rng.below(100) < 15;
        let remote_ip = if ipv6 {
            rng.pick(&addresses.services_v6).clone()
        } else {
            rng.pick(&addresses.services_v4).clone()
        };
        let action = match roll {
            17..=24 => "ConnectionFailed",
            25..=28 => "ConnectionAttempt",
            _ => "ConnectionSuccess",
        };
        // Defender often has no URL for a connection (no SNI or DNS seen for it).
        let remote_url = if rng.below(10) < 6 {
            *rng.pick(traffic.urls)
        } else {
            ""
        };
        let connection = Connection {
            action,
            remote_ip: Some(remote_ip),
            remote_port: Some(*rng.pick(traffic.ports)),
            remote_url,
            local_port,
            protocol: "Tcp",
            additional_fields: None,
        };
        network_row(device, binary, time, connection, process_id, report_id)
    }

    pub fn process<'a>(
        &'a self,
        rng: &mut SplitMix64,
        device: &'a Device,
        time: i64,
        report_id: i64,
    ) -> Row<'a> {
        let binary = rng.pick(&self.started);
        let process_id = 1000 + 4 * rng.below(8000) as i64;
        process_row(device, binary, time, process_id, report_id)
    }
}
