//! Telemetry that is not Defender's, mapped onto the Advanced Hunting tables so the same rules run on
//! it: Zeek logs, Suricata EVE, Sysmon and Windows Security events (docs/mappings.md says which source
//! field becomes which column).
//!
//! A mapped record names its own table (`DeviceNetworkEvents`, `DeviceProcessEvents`, `DeviceEvents`);
//! these sources have no device inventory, so the first event of each host in a file also yields a
//! `DeviceInfo` row for it (the relay rule joins on it). Record kinds without a mapping (a Sysmon
//! registry event, a Suricata `stats` line) are counted per file as not mapped, never as malformed.

mod lines;
mod suricata;
mod windows;
mod zeek;

use std::collections::HashSet;

use serde_json::{Map, Value};
use sha1::{Digest, Sha1};

use crate::assemble::RowOutcome;
use crate::error::{Result, SourceError};
use crate::format::Format;
use crate::profile::Profile;
use crate::read::{RecordSink, SourceFile};
use crate::report::Position;
use crate::schema::{ACTION_TYPE, TIMESTAMP};

pub(crate) use self::lines::{is_zeek_tsv_header, mapped_json_layout};

const DEVICE_INFO: &str = "DeviceInfo";
const DEVICE_ID: &str = "DeviceId";
const DEVICE_NAME: &str = "DeviceName";
const PUBLIC_IP: &str = "PublicIP";
const REPORT_ID: &str = "ReportId";

/// One source record as a row of an Advanced Hunting table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Event {
    pub table: &'static str,
    pub device: Device,
    /// Columns besides `DeviceId` and `DeviceName`, as JSON values (text for string columns).
    pub columns: Vec<(&'static str, Value)>,
}

/// The host an event happened on, as these sources name it (a computer name, or the address a
/// network sensor saw it at).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Device {
    /// Lower case, as Defender writes device names.
    pub name: String,
    /// The host's own address when it is a public one.
    pub public_ip: Option<String>,
}

impl Device {
    pub fn named(name: &str) -> Device {
        Device {
            name: name.to_lowercase(),
            public_ip: None,
        }
    }

    /// A host known only by its address: named by it, and its public IP when the address is public.
    pub fn at_address(address: &str) -> Device {
        let public = ip_type(address) == Some("Public");
        Device {
            name: address.to_lowercase(),
            public_ip: public.then(|| address.to_string()),
        }
    }

    /// Defender's device ids are 40 hex digits; these sources have none, so the id is the SHA-1 of the
    /// device name: the same host gets the same id in every file and every run.
    pub fn id(&self) -> String {
        Sha1::digest(self.name.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// What one record of a source is.
#[derive(Debug)]
pub(crate) enum Parsed {
    Event(Box<Event>),
    /// A kind of record no table maps (reported per file, not as malformed).
    Unmapped,
    /// A record that cannot be read or mapped (not JSON, too long, a missing or invalid field). Its
    /// table cannot be told, so it is reported once for the file, not once per table read.
    Malformed(String),
    /// The last line has no line break and does not parse: the file is still being written.
    IncompleteTail,
}

impl Format {
    /// Layouts of other products' telemetry, mapped onto Advanced Hunting tables by this module.
    pub(crate) fn is_mapped(self) -> bool {
        matches!(
            self,
            Format::ZeekTsv
                | Format::ZeekJson
                | Format::SuricataEve
                | Format::WindowsEventJson
                | Format::Evtx
        )
    }

    /// The mapping that reads a layout of another product's telemetry (for `torhunt sources`).
    pub fn mapping(self) -> Option<&'static str> {
        match self {
            Format::ZeekTsv | Format::ZeekJson => Some(
                "Zeek conn, dns, ssl, http -> DeviceNetworkEvents, a DeviceInfo row per host \
                 (docs/mappings.md#zeek)",
            ),
            Format::SuricataEve => Some(
                "Suricata EVE flow, tls, dns, http, alert -> DeviceNetworkEvents, a DeviceInfo row per \
                 host (docs/mappings.md#suricata-eve)",
            ),
            Format::WindowsEventJson | Format::Evtx => Some(
                "Sysmon 1, 3, 22 and Security 5156, 5158 -> DeviceProcessEvents, DeviceNetworkEvents, \
                 DeviceEvents, a DeviceInfo row per host (docs/mappings.md#windows-events)",
            ),
            _ => None,
        }
    }
}

/// What a reader hands every record to, with its position; false stops the read.
type EachRecord<'a> = dyn FnMut(Position, Parsed) -> Result<bool> + 'a;

/// Calls `each` with every record of a mapped file and its position, until it returns false.
fn for_each_record(file: &SourceFile, max_record_bytes: u64, each: &mut EachRecord<'_>) -> Result<()> {
    match file.format {
        Format::ZeekTsv => lines::read_zeek_tsv(file, max_record_bytes, zeek::map_json, each),
        Format::ZeekJson => lines::read_json_lines(file, max_record_bytes, zeek::map_json, each),
        Format::SuricataEve => lines::read_json_lines(file, max_record_bytes, suricata::map, each),
        Format::WindowsEventJson => lines::read_json_lines(file, max_record_bytes, windows::map_json, each),
        Format::Evtx => read_evtx(file, each),
        other => Err(SourceError::UnsupportedFile {
            path: file.path.clone(),
            reason: format!("{} is not a mapped layout", other.id()),
        }),
    }
}

/// The largest binary event log read (decompressed). The `evtx` crate parses chunks from memory, so a
/// file is held whole: event logs are tens of megabytes (Windows' default maximum is 20 MB), and a
/// larger file, or a compressed one that inflates past this, is refused rather than allowed to take
/// the machine's memory.
const MAX_EVTX_BYTES: u64 = 256 << 20;

/// Reads a binary Windows event log through the `evtx` crate, whole (see [`MAX_EVTX_BYTES`]).
fn read_evtx(file: &SourceFile, each: &mut EachRecord<'_>) -> Result<()> {
    let mut bytes = Vec::new();
    file.source
        .open(0)
        .and_then(|reader| {
            std::io::Read::read_to_end(&mut std::io::Read::take(reader, MAX_EVTX_BYTES + 1), &mut bytes)
        })
        .map_err(|e| SourceError::io(&file.path, e))?;
    if bytes.len() as u64 > MAX_EVTX_BYTES {
        return Err(SourceError::UnsupportedFile {
            path: file.path.clone(),
            reason: format!(
                "an event log larger than {} MiB is not read (it is parsed in memory); split it, e.g. \
                 with `wevtutil epl` and a time query, or export it as JSON lines",
                MAX_EVTX_BYTES >> 20
            ),
        });
    }
    let mut parser = evtx::EvtxParser::from_buffer(bytes).map_err(|e| SourceError::UnsupportedFile {
        path: file.path.clone(),
        reason: format!("not a readable EVTX file: {e}"),
    })?;
    for (index, record) in parser.records_json_value().enumerate() {
        let position = Position::Record(index as u64 + 1);
        let parsed = match record {
            Ok(record) => windows::map_evtx(&record.data, record.event_record_id),
            Err(error) => Parsed::Malformed(format!("unreadable EVTX record: {error}")),
        };
        if !each(position, parsed)? {
            break;
        }
    }
    Ok(())
}

/// Reads a mapped file for the sink's table.
pub(crate) fn read(sink: &mut RecordSink<'_>, file: &SourceFile) -> Result<()> {
    let table = sink.assembler.spec().table.clone();
    let mut hosts = HashSet::new();
    let mut unmapped = 0u64;
    for_each_record(file, sink.max_record_bytes(), &mut |position, parsed| {
        match parsed {
            Parsed::Event(event) if table == DEVICE_INFO => {
                if hosts.insert(event.device.name.clone()) {
                    let outcome = append(sink, DEVICE_INFO, &device_info(&event));
                    sink.outcome(position, outcome)?;
                }
            }
            Parsed::Event(event) => {
                let outcome = append(sink, event.table, &columns_of(&event));
                sink.outcome(position, outcome)?;
            }
            Parsed::Unmapped => unmapped += 1,
            Parsed::Malformed(reason) => sink.malformed_line(position, reason, 1)?,
            Parsed::IncompleteTail => sink.incomplete_tail(position)?,
        }
        sink.maybe_flush()
    })?;
    sink.note_unmapped(unmapped);
    Ok(())
}

/// Profiles the first `limit` records of a mapped file: the tables they feed (their columns are all
/// built-in ones).
pub(crate) fn profile(
    file: &SourceFile,
    limit: u64,
    max_record_bytes: u64,
    profile: &mut Profile,
) -> Result<()> {
    // Every mapped layout is telemetry by its shape (it was recognised by its keys or header).
    profile.looks_like_telemetry = true;
    let mut records = 0;
    for_each_record(file, max_record_bytes, &mut |_, parsed| {
        profile.has_content = true;
        if let Parsed::Event(event) = parsed {
            for table in [event.table, DEVICE_INFO] {
                profile.tables.entry(table.to_string()).or_default().records += 1;
            }
        }
        records += 1;
        Ok(records < limit)
    })
}

fn append(sink: &mut RecordSink<'_>, table: &str, columns: &[(&str, Value)]) -> RowOutcome {
    let row = &mut sink.assembler;
    row.begin_row();
    for (column, value) in columns {
        let lookup = row.lookup(column);
        match value {
            Value::String(text) => row.set_text(&lookup, text),
            other => row.set_json(&lookup, other),
        }
    }
    row.finish_row(Some(table))
}

fn columns_of(event: &Event) -> Vec<(&'static str, Value)> {
    let mut columns = vec![
        (DEVICE_ID, Value::String(event.device.id())),
        (DEVICE_NAME, Value::String(event.device.name.clone())),
    ];
    columns.extend(event.columns.iter().cloned());
    columns
}

/// The `DeviceInfo` row of a host, at the time of its first event in the file.
fn device_info(event: &Event) -> Vec<(&'static str, Value)> {
    let timestamp = event
        .columns
        .iter()
        .find(|(column, _)| *column == TIMESTAMP)
        .map_or(Value::Null, |(_, value)| value.clone());
    vec![
        (TIMESTAMP, timestamp),
        (DEVICE_ID, Value::String(event.device.id())),
        (DEVICE_NAME, Value::String(event.device.name.clone())),
        (
            PUBLIC_IP,
            event.device.public_ip.clone().map_or(Value::Null, Value::String),
        ),
    ]
}

/// Builds an event's columns: skips absent values, so a column the source lacks stays empty.
#[derive(Debug, Default)]
pub(crate) struct Columns(Vec<(&'static str, Value)>);

impl Columns {
    pub fn new(timestamp: String, action_type: &str, report_id: u64) -> Columns {
        Columns(vec![
            (TIMESTAMP, Value::String(timestamp)),
            (ACTION_TYPE, Value::String(action_type.to_string())),
            (REPORT_ID, Value::from(report_id)),
        ])
    }

    pub fn text(mut self, column: &'static str, value: Option<impl Into<String>>) -> Columns {
        if let Some(value) = value.map(Into::into).filter(|v| !v.is_empty()) {
            self.0.push((column, Value::String(value)));
        }
        self
    }

    /// The two ends of a connection, `(address, port)` each, with Defender's kinds of their addresses.
    pub fn ends(self, local: (String, Option<Value>), remote: (String, Option<Value>)) -> Columns {
        let (local_type, remote_type) = (ip_type(&local.0), ip_type(&remote.0));
        self.text("LocalIP", Some(local.0))
            .json("LocalPort", local.1)
            .text("LocalIPType", local_type)
            .text("RemoteIP", Some(remote.0))
            .json("RemotePort", remote.1)
            .text("RemoteIPType", remote_type)
    }

    pub fn json(mut self, column: &'static str, value: Option<Value>) -> Columns {
        if let Some(value) = value.filter(|v| !v.is_null()) {
            self.0.push((column, value));
        }
        self
    }

    pub fn event(self, table: &'static str, device: Device) -> Parsed {
        Parsed::Event(Box::new(Event {
            table,
            device,
            columns: self.0,
        }))
    }
}

/// Defender's `LocalIPType` / `RemoteIPType` for an address: only the kinds seen in Defender's own
/// data (`Public`, `Private`, `Loopback`, `FourToSixMapping`); other special ranges stay empty rather
/// than guessed.
pub(crate) fn ip_type(address: &str) -> Option<&'static str> {
    use std::net::IpAddr;
    match address.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) if v4.is_loopback() => Some("Loopback"),
        IpAddr::V4(v4) if v4.is_private() => Some("Private"),
        IpAddr::V4(v4)
            if v4.is_link_local()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_unspecified()
                || v4.is_documentation()
                || v4.octets()[0] == 0
                || v4.octets()[0] >= 240
                || (v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1])) =>
        {
            None
        }
        IpAddr::V4(_) => Some("Public"),
        IpAddr::V6(v6) if v6.is_loopback() => Some("Loopback"),
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some() => Some("FourToSixMapping"),
        IpAddr::V6(v6) if (v6.segments()[0] & 0xfe00) == 0xfc00 => Some("Private"),
        // Teredo (2001::/32) and documentation (2001:db8::/32) are special; the rest of 2000::/3 is
        // global unicast; everything else (link-local, multicast, ...) is left empty.
        IpAddr::V6(v6) if v6.segments()[0] == 0x2001 && matches!(v6.segments()[1], 0 | 0xdb8) => None,
        IpAddr::V6(v6) if (v6.segments()[0] & 0xe000) == 0x2000 => Some("Public"),
        IpAddr::V6(_) => None,
    }
}

/// Defender's `Protocol` spelling of a transport protocol name or IANA number.
pub(crate) fn protocol(name: &str) -> Option<&'static str> {
    match name.to_ascii_lowercase().as_str() {
        "tcp" | "6" => Some("Tcp"),
        "udp" | "17" => Some("Udp"),
        "icmp" | "1" | "ipv6-icmp" | "icmp6" | "58" => Some("Icmp"),
        _ => None,
    }
}

/// An RFC 3339 UTC datetime from seconds since the epoch written in decimal (Zeek's `ts`), exact to
/// the digits given (no trip through `f64`).
pub(crate) fn epoch_seconds_text(text: &str) -> Option<String> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let seconds: i64 = whole.parse().ok()?;
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut digits = fraction.chars().take(9).collect::<String>();
    while digits.len() < 9 {
        digits.push('0');
    }
    let nanos: u32 = digits.parse().ok()?;
    let time = chrono::DateTime::from_timestamp(seconds, nanos)?;
    Some(time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

/// A JSON object's fields as Defender writes the fields of its inspection events in
/// `AdditionalFields`: every value as text, arrays and objects as JSON text, absent values left out.
pub(crate) fn fields_as_text(fields: impl IntoIterator<Item = (String, Value)>) -> Option<Value> {
    let object: Map<String, Value> = fields
        .into_iter()
        .filter_map(|(key, value)| {
            let text = match value {
                Value::Null => return None,
                Value::String(text) => text,
                other => other.to_string(),
            };
            Some((key, Value::String(text)))
        })
        .collect();
    (!object.is_empty()).then_some(Value::Object(object))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_seconds_keep_every_digit() {
        assert_eq!(
            epoch_seconds_text("1379288667.706265").as_deref(),
            Some("2013-09-15T23:44:27.706265Z")
        );
        assert_eq!(epoch_seconds_text("0").as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(epoch_seconds_text("12.3x"), None);
        assert_eq!(epoch_seconds_text("-"), None);
    }

    #[test]
    fn address_kinds() {
        assert_eq!(ip_type("10.0.0.126"), Some("Private"));
        assert_eq!(ip_type("91.219.237.229"), Some("Public"));
        assert_eq!(ip_type("127.0.0.1"), Some("Loopback"));
        assert_eq!(ip_type("::ffff:1.2.3.4"), Some("FourToSixMapping"));
        assert_eq!(ip_type("fd00::1"), Some("Private"));
        assert_eq!(ip_type("2a00:1450::1"), Some("Public"));
        assert_eq!(ip_type("2001:4860::8888"), Some("Public"));
        assert_eq!(ip_type("2001:db8::7"), None);
        assert_eq!(ip_type("fe80::1"), None);
        assert_eq!(ip_type("255.255.255.255"), None);
        assert_eq!(ip_type("not an address"), None);
    }

    #[test]
    fn device_ids_are_stable_sha1_of_the_name() {
        // SHA-1 of "abc" (FIPS 180-1 test vector).
        assert_eq!(
            Device::named("ABC").id(),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(Device::at_address("10.0.0.1").public_ip, None);
        assert_eq!(
            Device::at_address("91.219.237.229").public_ip.as_deref(),
            Some("91.219.237.229")
        );
    }
}
