//! Suricata EVE JSON → `DeviceNetworkEvents`: flows, TLS (SNI as `RemoteUrl`), DNS, HTTP (host name
//! as `RemoteUrl`) and alerts. The flow's source is the device. Other event types (fileinfo, netflow,
//! stats, ...) are not mapped.

use serde_json::{Map, Value};

use super::{Columns, Device, Parsed, fields_as_text, protocol};

const TABLE: &str = "DeviceNetworkEvents";

pub(super) fn map(record: &Map<String, Value>, line: u64) -> Parsed {
    let Some(event_type) = record.get("event_type").and_then(Value::as_str) else {
        return Parsed::Malformed("no event_type".to_string());
    };
    let mapped = match event_type {
        "flow" => map_event(record, flow_action(record), None, "flow", line),
        "tls" => map_event(record, "SslConnectionInspected", Some("sni"), "tls", line),
        "dns" => map_event(record, "DnsConnectionInspected", None, "dns", line),
        "http" => map_event(record, "HttpConnectionInspected", Some("hostname"), "http", line),
        "alert" => map_event(record, "NetworkSignatureInspected", None, "alert", line),
        _ => return Parsed::Unmapped,
    };
    mapped.unwrap_or_else(Parsed::Malformed)
}

/// A flow the server answered (packets to the client) connected; one it did not was an attempt.
fn flow_action(record: &Map<String, Value>) -> &'static str {
    let answered = record
        .get("flow")
        .and_then(|f| f.get("pkts_toclient"))
        .and_then(Value::as_u64)
        .is_some_and(|p| p > 0);
    if answered {
        "ConnectionSuccess"
    } else {
        "ConnectionAttempt"
    }
}

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn port(record: &Map<String, Value>, name: &str) -> Result<Option<Value>, String> {
    match record.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_u64()
            .and_then(|p| u16::try_from(p).ok())
            .map(|p| Some(Value::from(p)))
            .ok_or_else(|| format!("{name} {value} is not a port number")),
    }
}

/// EVE's `timestamp` has a numeric UTC offset (`2011-08-12T14:52:57.716360+0200`).
fn timestamp(record: &Map<String, Value>) -> Result<String, String> {
    let text = text(record.get("timestamp")).ok_or("no timestamp")?;
    chrono::DateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S%.f%z")
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(&text))
        .map(|t| t.to_utc().to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        .map_err(|_| format!("timestamp {text:?} is not an ISO 8601 time"))
}

/// `detail` names the event type's own object (`tls`, `http`, ...), whose fields (and the flow id and
/// application protocol) become `AdditionalFields`; `url_field` is the field of it that is the
/// `RemoteUrl`.
fn map_event(
    record: &Map<String, Value>,
    action: &str,
    url_field: Option<&str>,
    detail: &str,
    line: u64,
) -> Result<Parsed, String> {
    let timestamp = timestamp(record)?;
    let local = text(record.get("src_ip")).ok_or("no src_ip")?;
    let remote = text(record.get("dest_ip")).ok_or("no dest_ip")?;
    let details = record.get(detail).and_then(Value::as_object);
    let url = url_field.and_then(|f| text(details?.get(f)));
    let mut additional: Vec<(String, Value)> = Vec::new();
    for key in ["flow_id", "app_proto"] {
        if let Some(value) = record.get(key) {
            additional.push((key.to_string(), value.clone()));
        }
    }
    // Defender's signature events name the signature in `SignatureName`.
    if detail == "alert"
        && let Some(signature) = details.and_then(|d| d.get("signature"))
    {
        additional.push(("SignatureName".to_string(), signature.clone()));
    }
    additional.extend(details.into_iter().flatten().map(|(k, v)| (k.clone(), v.clone())));
    let device = Device::at_address(&local);
    Ok(Columns::new(timestamp, action, line)
        .ends(
            (local, port(record, "src_port")?),
            (remote, port(record, "dest_port")?),
        )
        .text("RemoteUrl", url)
        .text(
            "Protocol",
            text(record.get("proto")).as_deref().and_then(protocol),
        )
        .json("AdditionalFields", fields_as_text(additional))
        .event(TABLE, device))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tls_sni_is_the_remote_url_and_times_are_utc() {
        let record = json!({"timestamp": "2018-03-02T16:20:26.274662+0100", "event_type": "tls",
            "src_ip": "172.31.65.77", "src_port": 57549, "dest_ip": "209.85.202.155", "dest_port": 443,
            "proto": "TCP", "tls": {"sni": "www.example.org", "version": "TLS 1.2"}});
        let Parsed::Event(event) = map(record.as_object().unwrap(), 3) else {
            panic!()
        };
        let get = |name: &str| {
            event
                .columns
                .iter()
                .find(|(c, _)| *c == name)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(get("Timestamp"), Some(json!("2018-03-02T15:20:26.274662Z")));
        assert_eq!(get("RemoteUrl"), Some(json!("www.example.org")));
        assert_eq!(get("ActionType"), Some(json!("SslConnectionInspected")));
        assert_eq!(get("Protocol"), Some(json!("Tcp")));
        assert_eq!(get("ReportId"), Some(json!(3)));
        assert_eq!(event.device.name, "172.31.65.77");
    }

    #[test]
    fn unknown_event_types_are_not_mapped_and_missing_fields_are_named() {
        let stats = json!({"timestamp": "2018-03-02T16:20:26+0100", "event_type": "stats"});
        assert!(matches!(map(stats.as_object().unwrap(), 1), Parsed::Unmapped));
        let flow = json!({"timestamp": "2018-03-02T16:20:26+0100", "event_type": "flow", "src_ip": "a"});
        assert!(matches!(map(flow.as_object().unwrap(), 1), Parsed::Malformed(r) if r == "no dest_ip"));
        let bad_time = json!({"timestamp": "yesterday", "event_type": "dns", "src_ip": "a", "dest_ip": "b"});
        assert!(
            matches!(map(bad_time.as_object().unwrap(), 1), Parsed::Malformed(r) if r.contains("yesterday"))
        );
    }
}
