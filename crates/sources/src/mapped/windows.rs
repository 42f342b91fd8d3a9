//! Windows events → Advanced Hunting tables: Sysmon 1 (process creation) → `DeviceProcessEvents`,
//! Sysmon 3 (network connection) → `DeviceNetworkEvents`, Sysmon 22 (DNS query) → `DeviceEvents`
//! `DnsQueryResponse`, and Windows Filtering Platform audit events 5156 / 5158 of the Security log →
//! `DeviceNetworkEvents`. Read from binary EVTX and from JSON lines in the Security-Datasets (flat)
//! and Winlogbeat (`winlog`) shapes; every shape is brought to one [`WinEvent`] first.

use serde_json::{Map, Value};

use super::{Columns, Device, Parsed, fields_as_text, ip_type, protocol};

const SYSMON: &str = "Microsoft-Windows-Sysmon";
const SECURITY_AUDITING: &str = "Microsoft-Windows-Security-Auditing";

/// One Windows event, whatever shape it was read in.
#[derive(Debug)]
struct WinEvent {
    provider: String,
    event_id: u64,
    computer: String,
    /// The event's `TimeCreated` (UTC).
    time_created: Option<String>,
    /// The event's data fields by name (`EventData`).
    data: Map<String, Value>,
    /// Where the record is: its line, or its EVTX record number.
    report_id: u64,
}

/// Fields of the Security-Datasets flat shape that describe the event, not its data.
const FLAT_SYSTEM_FIELDS: &[&str] = &[
    "@timestamp",
    "@version",
    "TimeCreated",
    "SourceName",
    "ProviderName",
    "ProviderGuid",
    "Level",
    "Channel",
    "Task",
    "Keywords",
    "Hostname",
    "Computer",
    "EventID",
    "Message",
    "EventRecordID",
    "RecordNumber",
    "Opcode",
    "Version",
    "host",
    "port",
    "tags",
];

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn number(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        // EVTX renders `<EventID Qualifiers="...">4688</EventID>` as an object with its text.
        Value::Object(o) => number(o.get("#text")),
        _ => None,
    }
}

/// Maps one JSON line: a Security-Datasets (flat) or Winlogbeat (`winlog`) Windows event.
pub(super) fn map_json(record: &Map<String, Value>, line: u64) -> Parsed {
    let event = if let Some(winlog) = record.get("winlog").and_then(Value::as_object) {
        WinEvent {
            provider: text(winlog.get("provider_name")).unwrap_or_default(),
            event_id: number(winlog.get("event_id")).unwrap_or_default(),
            computer: text(winlog.get("computer_name")).unwrap_or_default(),
            time_created: text(record.get("@timestamp")),
            data: winlog
                .get("event_data")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
            report_id: line,
        }
    } else {
        WinEvent {
            provider: text(record.get("SourceName").or_else(|| record.get("ProviderName")))
                .unwrap_or_default(),
            event_id: number(record.get("EventID")).unwrap_or_default(),
            computer: text(record.get("Hostname").or_else(|| record.get("Computer"))).unwrap_or_default(),
            time_created: text(record.get("TimeCreated").or_else(|| record.get("@timestamp"))),
            data: record
                .iter()
                .filter(|(key, _)| !FLAT_SYSTEM_FIELDS.contains(&key.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            report_id: line,
        }
    };
    map(event)
}

/// Maps one EVTX record as the `evtx` crate renders it in JSON (`{"Event": {"System": ...,
/// "EventData": ...}}`); `record_id` is its `EventRecordID`.
pub(super) fn map_evtx(record: &Value, record_id: u64) -> Parsed {
    let event = &record["Event"];
    let system = &event["System"];
    let attribute = |value: &Value, name: &str| text(value.get("#attributes").and_then(|a| a.get(name)));
    let data = match event.get("EventData") {
        Some(Value::Object(data)) => data
            .iter()
            .filter(|(key, _)| key.as_str() != "#attributes")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        _ => Map::new(),
    };
    map(WinEvent {
        provider: attribute(&system["Provider"], "Name").unwrap_or_default(),
        event_id: number(system.get("EventID")).unwrap_or_default(),
        computer: text(system.get("Computer")).unwrap_or_default(),
        time_created: attribute(&system["TimeCreated"], "SystemTime"),
        data,
        report_id: record_id,
    })
}

/// Whether a JSON object is a Windows event in a shape [`map_json`] reads. Rows of Sentinel's
/// `SecurityEvent` table also have `EventID` and `Channel`, but carry `TimeGenerated`: they are read
/// as that table.
pub(crate) fn is_windows_event(object: &Map<String, Value>) -> bool {
    let flat = object.contains_key("EventID")
        && (object.contains_key("SourceName") || object.contains_key("Channel"))
        && !object.contains_key("TimeGenerated");
    let winlogbeat = object.get("winlog").is_some_and(|w| w.get("event_id").is_some());
    flat || winlogbeat
}

fn map(event: WinEvent) -> Parsed {
    let mapped = match (event.provider.as_str(), event.event_id) {
        (SYSMON, 1) => sysmon_process(&event),
        (SYSMON, 3) => sysmon_network(&event),
        (SYSMON, 22) => sysmon_dns(&event),
        (SECURITY_AUDITING, 5156 | 5158) => filtering_platform(&event),
        _ => return Parsed::Unmapped,
    };
    mapped.unwrap_or_else(|reason| Parsed::Malformed(format!("event {}: {reason}", event.event_id)))
}

impl WinEvent {
    fn field(&self, name: &str) -> Option<String> {
        // Sysmon and the Security log write "-" for a value they do not have.
        text(self.data.get(name)).filter(|v| !v.is_empty() && v != "-")
    }

    fn required(&self, name: &str) -> Result<String, String> {
        self.field(name).ok_or_else(|| format!("no {name}"))
    }

    fn device(&self) -> Result<Device, String> {
        match self.computer.as_str() {
            "" => Err("no computer name".to_string()),
            name => Ok(Device::named(name)),
        }
    }

    /// Sysmon's own `UtcTime` (`2020-10-23 06:36:43.542`) when it has one: it is when the event
    /// happened, and exporters have been seen to shift `TimeCreated` by the collector's time zone.
    fn timestamp(&self) -> Result<String, String> {
        if let Some(utc) = self.field("UtcTime") {
            return chrono::NaiveDateTime::parse_from_str(&utc, "%Y-%m-%d %H:%M:%S%.f")
                .map(|t| t.and_utc().to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
                .map_err(|_| format!("UtcTime {utc:?} is not a time"));
        }
        let created = self.time_created.clone().ok_or("no TimeCreated")?;
        chrono::DateTime::parse_from_rfc3339(&created)
            .map(|t| t.to_utc().to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
            .map_err(|_| format!("TimeCreated {created:?} is not an RFC 3339 time"))
    }

    fn port(&self, name: &str) -> Result<Option<Value>, String> {
        match self.field(name) {
            None => Ok(None),
            Some(t) => t
                .parse::<u16>()
                .map(|p| Some(Value::from(p)))
                .map_err(|_| format!("{name} {t:?} is not a port number")),
        }
    }

    fn process_id(&self, name: &str) -> Result<Option<Value>, String> {
        match self.field(name) {
            None => Ok(None),
            Some(t) => {
                // The Security log writes process ids in hex (`0x242c`), Sysmon in decimal.
                let parsed = match t.strip_prefix("0x") {
                    Some(hex) => u64::from_str_radix(hex, 16).ok(),
                    None => t.parse().ok(),
                };
                parsed
                    .map(|id| Some(Value::from(id)))
                    .ok_or_else(|| format!("{name} {t:?} is not a process id"))
            }
        }
    }

    /// The event's data fields not already in a column, as `AdditionalFields`.
    fn additional(&self, mapped: &[&str]) -> Option<Value> {
        fields_as_text(
            self.data
                .iter()
                .filter(|(key, _)| !mapped.contains(&key.as_str()))
                .map(|(k, v)| (k.clone(), v.clone())),
        )
    }
}

/// `C:\Windows\System32\cmd.exe` → `cmd.exe`.
fn file_name(path: &str) -> String {
    path.rsplit(['\\', '/']).next().unwrap_or(path).to_string()
}

/// `DOMAIN\user` → (`DOMAIN`, `user`).
fn account(user: Option<String>) -> (Option<String>, Option<String>) {
    match user {
        Some(user) => match user.split_once('\\') {
            Some((domain, name)) => (Some(domain.to_string()), Some(name.to_string())),
            None => (None, Some(user)),
        },
        None => (None, None),
    }
}

/// Sysmon's `Hashes` (`SHA1=...,MD5=...,SHA256=...,IMPHASH=...`), lower case as Defender writes them.
fn hash(hashes: Option<&str>, algorithm: &str) -> Option<String> {
    hashes?
        .split(',')
        .find_map(|pair| {
            pair.split_once('=')
                .filter(|(a, _)| a.eq_ignore_ascii_case(algorithm))
        })
        .map(|(_, value)| value.to_ascii_lowercase())
}

fn sysmon_process(event: &WinEvent) -> Result<Parsed, String> {
    let image = event.required("Image")?;
    let parent = event.field("ParentImage");
    let (domain, name) = account(event.field("User"));
    let hashes = event.field("Hashes");
    let columns = [
        "Image",
        "ProcessId",
        "CommandLine",
        "User",
        "Hashes",
        "Company",
        "Product",
        "Description",
        "OriginalFileName",
        "IntegrityLevel",
        "ParentImage",
        "ParentProcessId",
        "ParentCommandLine",
        "UtcTime",
    ];
    Ok(
        Columns::new(event.timestamp()?, "ProcessCreated", event.report_id)
            .text("FileName", Some(file_name(&image)))
            .text("FolderPath", Some(image))
            .json("ProcessId", event.process_id("ProcessId")?)
            .text("ProcessCommandLine", event.field("CommandLine"))
            .text("AccountDomain", domain)
            .text("AccountName", name)
            .text("SHA1", hash(hashes.as_deref(), "SHA1"))
            .text("MD5", hash(hashes.as_deref(), "MD5"))
            .text("SHA256", hash(hashes.as_deref(), "SHA256"))
            .text("ProcessVersionInfoCompanyName", event.field("Company"))
            .text("ProcessVersionInfoProductName", event.field("Product"))
            .text("ProcessVersionInfoFileDescription", event.field("Description"))
            .text(
                "ProcessVersionInfoOriginalFileName",
                event.field("OriginalFileName"),
            )
            .text("ProcessIntegrityLevel", event.field("IntegrityLevel"))
            .text("InitiatingProcessFileName", parent.as_deref().map(file_name))
            .text("InitiatingProcessFolderPath", parent)
            .json("InitiatingProcessId", event.process_id("ParentProcessId")?)
            .text("InitiatingProcessCommandLine", event.field("ParentCommandLine"))
            .json("AdditionalFields", event.additional(&columns))
            .event("DeviceProcessEvents", event.device()?),
    )
}

/// The process columns of an event a process caused (its `Image`, `ProcessId`, `User`).
fn initiating_process(
    columns: Columns,
    event: &WinEvent,
    image_field: &str,
    id_field: &str,
) -> Result<Columns, String> {
    let image = event.field(image_field);
    let (domain, name) = account(event.field("User"));
    Ok(columns
        .text("InitiatingProcessFileName", image.as_deref().map(file_name))
        .text("InitiatingProcessFolderPath", image)
        .json("InitiatingProcessId", event.process_id(id_field)?)
        .text("InitiatingProcessAccountDomain", domain)
        .text("InitiatingProcessAccountName", name))
}

/// An address and port field pair of an event.
type End = (String, Option<Value>);

/// The local and remote ends of a connection given as source and destination: the initiator is the
/// source, so on an inbound connection the device is the destination.
fn ends(event: &WinEvent, inbound: bool, fields: [&str; 4]) -> Result<(End, End), String> {
    let [source_ip, source_port, destination_ip, destination_port] = fields;
    let source = (event.required(source_ip)?, event.port(source_port)?);
    let destination = (event.required(destination_ip)?, event.port(destination_port)?);
    Ok(if inbound {
        (destination, source)
    } else {
        (source, destination)
    })
}

fn sysmon_network(event: &WinEvent) -> Result<Parsed, String> {
    let inbound = match event.field("Initiated").as_deref() {
        Some("true" | "True") | None => false,
        Some("false" | "False") => true,
        Some(other) => return Err(format!("Initiated {other:?} is neither true nor false")),
    };
    let action = if inbound {
        "InboundConnectionAccepted"
    } else {
        "ConnectionSuccess"
    };
    let (local, remote) = ends(
        event,
        inbound,
        ["SourceIp", "SourcePort", "DestinationIp", "DestinationPort"],
    )?;
    let columns = Columns::new(event.timestamp()?, action, event.report_id)
        .ends(local, remote)
        .text("Protocol", event.field("Protocol").as_deref().and_then(protocol));
    let mapped = [
        "Image",
        "ProcessId",
        "User",
        "Initiated",
        "Protocol",
        "SourceIp",
        "SourcePort",
        "DestinationIp",
        "DestinationPort",
        "UtcTime",
    ];
    Ok(initiating_process(columns, event, "Image", "ProcessId")?
        .json("AdditionalFields", event.additional(&mapped))
        .event("DeviceNetworkEvents", event.device()?))
}

fn sysmon_dns(event: &WinEvent) -> Result<Parsed, String> {
    let query = event.required("QueryName")?;
    let mut additional = serde_json::Map::new();
    additional.insert("DnsQueryString".to_string(), Value::String(query));
    for (from, to) in [("QueryStatus", "QueryStatus"), ("QueryResults", "QueryResults")] {
        if let Some(value) = event.field(from) {
            additional.insert(to.to_string(), Value::String(value));
        }
    }
    let columns = Columns::new(event.timestamp()?, "DnsQueryResponse", event.report_id);
    Ok(initiating_process(columns, event, "Image", "ProcessId")?
        .json("AdditionalFields", Some(Value::Object(additional)))
        .event("DeviceEvents", event.device()?))
}

/// Windows Filtering Platform: 5156 permitted a connection (`Direction` `%%14592` inbound, `%%14593`
/// outbound), 5158 permitted a bind to a local port (Defender's nearest is a listening socket).
fn filtering_platform(event: &WinEvent) -> Result<Parsed, String> {
    let timestamp = event.timestamp()?;
    let columns = if event.event_id == 5158 {
        let local = event.required("SourceAddress")?;
        Columns::new(timestamp, "ListeningConnectionCreated", event.report_id)
            .text("LocalIPType", ip_type(&local))
            .text("LocalIP", Some(local))
            .json("LocalPort", event.port("SourcePort")?)
    } else {
        let inbound = match event.required("Direction")?.as_str() {
            "%%14592" | "Inbound" => true,
            "%%14593" | "Outbound" => false,
            other => return Err(format!("Direction {other:?} is neither %%14592 nor %%14593")),
        };
        let (local, remote) = ends(
            event,
            inbound,
            ["SourceAddress", "SourcePort", "DestAddress", "DestPort"],
        )?;
        let action = if inbound {
            "InboundConnectionAccepted"
        } else {
            "ConnectionSuccess"
        };
        Columns::new(timestamp, action, event.report_id).ends(local, remote)
    };
    let mapped = [
        "Application",
        "ProcessID",
        "ProcessId",
        "Direction",
        "SourceAddress",
        "SourcePort",
        "DestAddress",
        "DestPort",
        "Protocol",
    ];
    // 5156 names the process `ProcessID`, 5158 `ProcessId`.
    let id_field = if event.data.contains_key("ProcessID") {
        "ProcessID"
    } else {
        "ProcessId"
    };
    Ok(initiating_process(columns, event, "Application", id_field)?
        .text("Protocol", event.field("Protocol").as_deref().and_then(protocol))
        .json("AdditionalFields", event.additional(&mapped))
        .event("DeviceNetworkEvents", event.device()?))
}
