//! Everyday endpoint activity beside connections and process starts, so hunting queries over the other
//! `Device*` tables have rows to run on: file, registry, image-load, logon and miscellaneous device
//! events, file certificates, and a daily network-adapter snapshot per device. None of it matches a
//! shipped rule (they read only `DeviceNetworkEvents`, `DeviceProcessEvents` and `DeviceInfo`).
//!
//! Drawn from a random stream of its own, so the rows of the other tables are the same as without it.

use std::borrow::Cow;

use crate::Device;
use crate::fleet::{Binary, DEFENDER, STARTED, SVCHOST};
use crate::rng::SplitMix64;
use crate::table::{Field, MICROS_PER_SECOND, Row, Table};

/// Rows of each event table per `DeviceNetworkEvents` row of the everyday traffic (`1/n`).
pub const EVENT_TABLES: [(Table, u64); 6] = [
    (Table::DeviceFileEvents, 16),
    (Table::DeviceImageLoadEvents, 16),
    (Table::DeviceRegistryEvents, 32),
    (Table::DeviceEvents, 32),
    (Table::DeviceLogonEvents, 64),
    (Table::DeviceFileCertificateInfo, 64),
];

/// The seed of the activity's own random stream, derived from the fleet's.
pub fn stream_seed(seed: u64) -> u64 {
    seed ^ 0x5EED_AC71_7171_0001
}

const DOCUMENTS: &[&str] = &[
    "quarterly-report.docx",
    "budget-2024.xlsx",
    "meeting-notes.txt",
    "roadmap.pptx",
    "invoice-1042.pdf",
    "holiday-photos.zip",
];

const LIBRARIES: &[(&str, &str)] = &[
    ("kernel32.dll", r"c:\windows\system32\kernel32.dll"),
    ("user32.dll", r"c:\windows\system32\user32.dll"),
    ("ws2_32.dll", r"c:\windows\system32\ws2_32.dll"),
    ("crypt32.dll", r"c:\windows\system32\crypt32.dll"),
    ("winhttp.dll", r"c:\windows\system32\winhttp.dll"),
    ("mscoree.dll", r"c:\windows\system32\mscoree.dll"),
];

const REGISTRY: &[(&str, &str, &str, &str)] = &[
    (
        r"HKEY_CURRENT_USER\S-1-5-21\Software\Microsoft\Office\16.0\Common\General",
        "Dword",
        "ShownFirstRunOptin",
        "1",
    ),
    (
        r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows Defender\Signature Updates",
        "Binary",
        "SignaturesLastUpdated",
        "0x01da9b",
    ),
    (
        r"HKEY_CURRENT_USER\S-1-5-21\Software\Microsoft\Windows\CurrentVersion\Explorer\RecentDocs",
        "Binary",
        "MRUListEx",
        "0x0100",
    ),
    (
        r"HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Services\Dnscache\Parameters",
        "Dword",
        "MaxCacheTtl",
        "86400",
    ),
];

/// Everyday programs with their hashes, computed once.
pub struct Activity {
    started: Vec<Binary>,
    defender: Binary,
    svchost: Binary,
}

impl Default for Activity {
    fn default() -> Activity {
        Activity::new()
    }
}

fn text<'a>(value: impl Into<Cow<'a, str>>) -> Field<'a> {
    Field::Text(value.into())
}

impl Activity {
    pub fn new() -> Activity {
        Activity {
            started: STARTED.iter().map(|p| Binary::new(*p)).collect(),
            defender: Binary::new(DEFENDER),
            svchost: Binary::new(SVCHOST),
        }
    }

    /// One row of an event table of [`EVENT_TABLES`].
    pub fn event<'a>(
        &'a self,
        table: Table,
        rng: &mut SplitMix64,
        device: &'a Device,
        time: i64,
        report_id: i64,
    ) -> Row<'a> {
        let fields = match table {
            Table::DeviceFileEvents => self.file_event(rng, device),
            Table::DeviceImageLoadEvents => self.image_load(rng, device),
            Table::DeviceRegistryEvents => self.registry_event(rng, device),
            Table::DeviceEvents => self.device_event(rng, device),
            Table::DeviceLogonEvents => logon(rng, device),
            _ => self.certificate(rng, time),
        };
        let mut row = vec![Field::Time(time), text(&device.id), text(&device.name)];
        row.extend(fields);
        row.push(Field::Number(report_id));
        Row { table, fields: row }
    }

    /// The program doing something for the signed-in user, and its process id.
    fn initiating<'a>(&'a self, rng: &mut SplitMix64, device: &'a Device) -> [Field<'a>; 7] {
        let binary = rng.pick(&self.started);
        let program = &binary.program;
        [
            text("corp"),
            text(&device.user),
            text(&device.account_sid),
            text(program.name),
            text(program.path),
            Field::Number(1000 + 4 * rng.below(8000) as i64),
            text(program.command_line),
        ]
    }

    fn file_event<'a>(&'a self, rng: &mut SplitMix64, device: &'a Device) -> Vec<Field<'a>> {
        let action = *rng.pick(&[
            "FileCreated",
            "FileCreated",
            "FileModified",
            "FileRenamed",
            "FileDeleted",
        ]);
        let name = *rng.pick(DOCUMENTS);
        let folder = format!(r"c:\users\{}\documents\{name}", device.user);
        let mut fields = vec![
            text(action),
            text(name),
            text(folder),
            text(rng.hex(40)),
            text(rng.hex(64)),
            text(rng.hex(32)),
            Field::Number(1024 + rng.below(4 << 20) as i64),
        ];
        fields.extend(self.initiating(rng, device));
        fields
    }

    fn image_load<'a>(&'a self, rng: &mut SplitMix64, device: &'a Device) -> Vec<Field<'a>> {
        let (name, path) = *rng.pick(LIBRARIES);
        let mut hashes = SplitMix64::new(name.len() as u64 * 0x9E37_79B9);
        let mut fields = vec![
            text("ImageLoaded"),
            text(name),
            text(path),
            text(hashes.hex(40)),
            text(hashes.hex(64)),
            text(hashes.hex(32)),
            Field::Number(65_536 + 4096 * name.len() as i64),
        ];
        fields.extend(self.initiating(rng, device));
        fields
    }

    fn registry_event<'a>(&'a self, rng: &mut SplitMix64, device: &'a Device) -> Vec<Field<'a>> {
        let (key, kind, value, data) = *rng.pick(REGISTRY);
        let action = *rng.pick(&["RegistryValueSet", "RegistryValueSet", "RegistryKeyCreated"]);
        let mut fields = vec![text(action), text(key), text(kind), text(value), text(data)];
        if key.starts_with("HKEY_LOCAL_MACHINE") {
            let program = &self.defender.program;
            fields.extend([
                text("nt authority"),
                text("system"),
                text("S-1-5-18"),
                text(program.name),
                text(program.path),
                Field::Number(3000 + 4 * rng.below(100) as i64),
                text(program.command_line),
            ]);
        } else {
            fields.extend(self.initiating(rng, device));
        }
        fields
    }

    fn device_event<'a>(&'a self, rng: &mut SplitMix64, device: &'a Device) -> Vec<Field<'a>> {
        let (action, additional) = *rng.pick(&[
            (
                "AntivirusScanCompleted",
                r#"{"ScanTypeIndex":1,"ScanId":"quick"}"#,
            ),
            ("PowerShellCommand", r#"{"Command":"Get-ChildItem"}"#),
            (
                "ScheduledTaskUpdated",
                r#"{"TaskName":"\\Microsoft\\Office\\OfficeTelemetryAgentLogOn"}"#,
            ),
            (
                "UsbDriveMounted",
                r#"{"DriveLetter":"E:","ProductName":"USB Flash Disk"}"#,
            ),
        ]);
        let program = if action == "AntivirusScanCompleted" {
            &self.defender.program
        } else {
            &self.svchost.program
        };
        vec![
            text(action),
            text(program.name),
            text(program.path),
            text("corp"),
            text(&device.user),
            text(&device.account_sid),
            text(program.name),
            text(program.path),
            Field::Number(2000 + 4 * rng.below(1000) as i64),
            text(program.command_line),
            text(additional),
        ]
    }

    fn certificate<'a>(&'a self, rng: &mut SplitMix64, time: i64) -> Vec<Field<'a>> {
        let binary = rng.pick(&self.started);
        let signer = binary.program.company;
        let year = 365 * 24 * 3600 * MICROS_PER_SECOND;
        let mut serial = SplitMix64::new(signer.len() as u64);
        vec![
            text(binary.sha1.as_str()),
            Field::Bool(true),
            text("Embedded"),
            text(signer),
            text(serial.hex(40)),
            text("DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1"),
            text("7b0f360b775f76c94a12ca48445aa2d2a875701c"),
            text(serial.hex(32)),
            Field::Time(time - year),
            Field::Time(time + year),
            Field::Bool(true),
            Field::Bool(signer.starts_with("Microsoft")),
        ]
    }

    /// A device's network adapter, as the daily `DeviceNetworkInfo` snapshot reports it.
    pub fn network_info(device: &Device, time: i64, report_id: i64) -> Row<'static> {
        let owned = |s: String| Field::Text(Cow::Owned(s));
        let gateway = format!(
            "{}.1",
            device.local_ip.rsplit_once('.').map_or("10.0.0", |(net, _)| net)
        );
        let mac = device.id.as_bytes()[..12]
            .chunks(2)
            .map(|pair| String::from_utf8_lossy(pair).to_ascii_uppercase())
            .collect::<Vec<_>>()
            .join("-");
        Row {
            table: Table::DeviceNetworkInfo,
            fields: vec![
                Field::Time(time),
                owned(device.id.clone()),
                owned(device.name.clone()),
                text("Ethernet"),
                owned(mac),
                text("Ethernet"),
                text("Up"),
                text("None"),
                text(r#"[{"Name":"corp.example","Category":"Domain","IsConnectedToInternet":true}]"#),
                owned(format!(r#"["{gateway}"]"#)),
                owned(gateway.clone()),
                owned(format!(r#"["{gateway}"]"#)),
                owned(format!(
                    r#"[{{"IPAddress":"{}","SubnetPrefix":24,"AddressType":"Private"}},{{"IPAddress":"{}","SubnetPrefix":64,"AddressType":"Global"}}]"#,
                    device.local_ip, device.local_ipv6
                )),
                Field::Number(report_id),
            ],
        }
    }
}

fn logon<'a>(rng: &mut SplitMix64, device: &'a Device) -> Vec<Field<'a>> {
    let failed = rng.below(10) == 0;
    let (logon_type, protocol) = *rng.pick(&[
        ("Interactive", "Negotiate"),
        ("Unlock", "Negotiate"),
        ("Network", "Kerberos"),
        ("Network", "NTLM"),
    ]);
    let remote = logon_type == "Network";
    let peer = format!("10.1.0.{}", 2 + rng.below(200));
    vec![
        text(if failed { "LogonFailed" } else { "LogonSuccess" }),
        text(logon_type),
        text("corp"),
        text(&device.user),
        text(&device.account_sid),
        text(protocol),
        if failed {
            text("InvalidUserNameOrPassword")
        } else {
            Field::Null
        },
        Field::Bool(false),
        Field::Number(0x3e7 + rng.below(1 << 20) as i64),
        if remote { text(peer) } else { Field::Null },
        if remote { text("Private") } else { Field::Null },
        if remote {
            Field::Number(49_152 + rng.below(16_000) as i64)
        } else {
            Field::Null
        },
    ]
}
