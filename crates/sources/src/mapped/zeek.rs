//! Zeek's conn, dns, ssl and http logs → `DeviceNetworkEvents`, shaped as Defender's own network
//! inspection events (which come from a Zeek-based sensor): the connection's originator is the device,
//! the log's other fields go to `AdditionalFields` as text.

use serde_json::{Map, Value};

use super::{Columns, Device, Parsed, epoch_seconds_text, fields_as_text, protocol};

const TABLE: &str = "DeviceNetworkEvents";

/// The Zeek logs torhunt maps, by their `_path`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Log {
    Conn,
    Dns,
    Ssl,
    Http,
}

/// Maps a Zeek record (a JSON line, or a TSV line as its JSON writer would give it) on line `line`.
pub(super) fn map_json(record: &Map<String, Value>, line: u64) -> Parsed {
    let Some(log) = log_of(record) else {
        return Parsed::Unmapped;
    };
    match map(record, log, line) {
        Ok(parsed) => parsed,
        Err(reason) => Parsed::Malformed(reason),
    }
}

/// The log a record comes from: its `_path` (Zeek's JSON with `_path`, TSV's `#path`), else the fields
/// only that log has (Zeek's JSON writer leaves `_path` out by default).
fn log_of(record: &Map<String, Value>) -> Option<Log> {
    let has = |key: &str| record.contains_key(key);
    match record.get("_path").and_then(Value::as_str) {
        Some("conn") => Some(Log::Conn),
        Some("dns") => Some(Log::Dns),
        Some("ssl") => Some(Log::Ssl),
        Some("http") => Some(Log::Http),
        Some(_) => None,
        None if has("conn_state") || has("history") => Some(Log::Conn),
        None if has("qtype_name") || has("trans_id") => Some(Log::Dns),
        None if has("cipher") || has("server_name") || has("established") => Some(Log::Ssl),
        None if has("method") || has("uri") => Some(Log::Http),
        None => None,
    }
}

/// A field in any of Zeek's key styles: `id.orig_h` (the default), `id_orig_h` (JSON writers that
/// replace dots), or nested `{"id": {"orig_h": ...}}`.
fn field<'a>(record: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    record
        .get(name)
        .or_else(|| record.get(&name.replace('.', "_")))
        .or_else(|| {
            let (outer, inner) = name.split_once('.')?;
            record.get(outer)?.get(inner)
        })
        .filter(|v| !v.is_null())
}

/// A field's value as text (strings as they are, numbers and booleans as JSON writes them).
fn text(record: &Map<String, Value>, name: &str) -> Option<String> {
    field(record, name).map(|v| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

fn required(record: &Map<String, Value>, name: &str) -> Result<String, String> {
    text(record, name)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| format!("no {name}"))
}

fn port(record: &Map<String, Value>, name: &str) -> Result<Option<Value>, String> {
    match text(record, name) {
        None => Ok(None),
        Some(t) => t
            .parse::<u16>()
            .map(|p| Some(Value::from(p)))
            .map_err(|_| format!("{name} {t:?} is not a port number")),
    }
}

/// Zeek's `ts`: seconds since the epoch (TSV, JSON's default) or ISO 8601 (JSON with
/// `JSON::TS_FORMAT=JSON::TS_ISO8601`).
fn timestamp(record: &Map<String, Value>) -> Result<String, String> {
    let ts = required(record, "ts")?;
    let parsed = if ts.contains('T') {
        chrono::DateTime::parse_from_rfc3339(&ts)
            .ok()
            .map(|t| t.to_utc().to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    } else {
        epoch_seconds_text(&ts)
    };
    parsed.ok_or_else(|| format!("ts {ts:?} is not a Zeek time"))
}

/// Defender's `ActionType` for a conn record: Zeek's `conn_state` says whether the responder answered.
fn conn_action(record: &Map<String, Value>) -> Result<&'static str, String> {
    if text(record, "proto").is_some_and(|p| p.eq_ignore_ascii_case("icmp")) {
        // Defender reports ICMP flows from its Zeek-based sensor this way, with the conn fields.
        return Ok("IcmpConnectionInspected");
    }
    let state = required(record, "conn_state")?;
    match state.as_str() {
        // Established (and possibly closed or reset afterwards), or midstream traffic (OTH).
        "S1" | "SF" | "S2" | "S3" | "RSTO" | "RSTR" | "OTH" => Ok("ConnectionSuccess"),
        "REJ" => Ok("ConnectionFailed"),
        // A SYN (or a half-open exchange) that never became a connection.
        "S0" | "SH" | "SHR" | "RSTOS0" | "RSTRH" => Ok("ConnectionAttempt"),
        other => Err(format!(
            "conn_state {other:?} is not one of Zeek's connection states"
        )),
    }
}

fn map(record: &Map<String, Value>, log: Log, line: u64) -> Result<Parsed, String> {
    let timestamp = timestamp(record)?;
    let local = required(record, "id.orig_h")?;
    let remote = required(record, "id.resp_h")?;
    let (action, url, transport) = match log {
        Log::Conn => (conn_action(record)?, None, text(record, "proto")),
        Log::Dns => ("DnsConnectionInspected", None, text(record, "proto")),
        // TLS and HTTP logs name no transport: both run over TCP (QUIC has its own log).
        Log::Ssl => (
            "SslConnectionInspected",
            text(record, "server_name"),
            Some("tcp".into()),
        ),
        Log::Http => (
            "HttpConnectionInspected",
            text(record, "host"),
            Some("tcp".into()),
        ),
    };
    // The columns say when and between whom; every other field is kept, as Defender keeps them.
    let rest = record
        .iter()
        .filter(|(key, _)| {
            !["ts", "_path", "_write_ts", "id"].contains(&key.as_str())
                && !key.starts_with("id.")
                && !key.starts_with("id_")
        })
        .map(|(key, value)| (key.clone(), value.clone()));
    let device = Device::at_address(&local);
    Ok(Columns::new(timestamp, action, line)
        .ends(
            (local, port(record, "id.orig_p")?),
            (remote, port(record, "id.resp_p")?),
        )
        .text("RemoteUrl", url)
        .text("Protocol", transport.as_deref().and_then(protocol))
        .json("AdditionalFields", fields_as_text(rest))
        .event(TABLE, device))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapped::Event;
    use serde_json::json;

    fn event(record: Value) -> Event {
        match map_json(record.as_object().expect("object"), 7) {
            Parsed::Event(event) => *event,
            other => panic!("{other:?}"),
        }
    }

    fn column<'a>(event: &'a Event, name: &str) -> Option<&'a Value> {
        event.columns.iter().find(|(c, _)| *c == name).map(|(_, v)| v)
    }

    #[test]
    fn both_key_styles_and_nested_ids_map_alike() {
        let dotted = event(
            json!({"ts": 1.5, "uid": "C1", "id.orig_h": "10.0.0.1", "id.orig_p": 5,
            "id.resp_h": "8.8.8.8", "id.resp_p": 53, "proto": "udp", "query": "a.example", "trans_id": 1}),
        );
        let underscored = event(
            json!({"ts": 1.5, "uid": "C1", "id_orig_h": "10.0.0.1", "id_orig_p": 5,
            "id_resp_h": "8.8.8.8", "id_resp_p": 53, "proto": "udp", "query": "a.example", "trans_id": 1}),
        );
        let nested = event(
            json!({"ts": 1.5, "uid": "C1", "id": {"orig_h": "10.0.0.1", "orig_p": 5,
            "resp_h": "8.8.8.8", "resp_p": 53}, "proto": "udp", "query": "a.example", "trans_id": 1}),
        );
        assert_eq!(dotted, underscored);
        assert_eq!(dotted, nested);
        assert_eq!(
            column(&dotted, "ActionType"),
            Some(&json!("DnsConnectionInspected"))
        );
        assert_eq!(column(&dotted, "RemotePort"), Some(&json!(53)));
        assert_eq!(column(&dotted, "Protocol"), Some(&json!("Udp")));
        assert_eq!(
            column(&dotted, "AdditionalFields"),
            Some(&json!({"uid": "C1", "proto": "udp", "query": "a.example", "trans_id": "1"}))
        );
    }

    #[test]
    fn conn_states_give_defender_action_types() {
        let conn = |state: &str| {
            let e = event(
                json!({"ts": "1", "id.orig_h": "10.0.0.1", "id.resp_h": "10.0.0.2",
                "proto": "tcp", "conn_state": state}),
            );
            column(&e, "ActionType").cloned()
        };
        assert_eq!(conn("SF"), Some(json!("ConnectionSuccess")));
        assert_eq!(conn("REJ"), Some(json!("ConnectionFailed")));
        assert_eq!(conn("S0"), Some(json!("ConnectionAttempt")));
        let bad = map_json(
            json!({"ts": "1", "id.orig_h": "a", "id.resp_h": "b", "conn_state": "XX"})
                .as_object()
                .unwrap(),
            1,
        );
        assert!(matches!(bad, Parsed::Malformed(reason) if reason.contains("XX")));
    }

    #[test]
    fn other_logs_are_not_mapped_and_bad_fields_are_named() {
        let files = json!({"_path": "files", "ts": 1.0, "uid": "C"});
        assert!(matches!(
            map_json(files.as_object().unwrap(), 1),
            Parsed::Unmapped
        ));
        let no_ts = json!({"_path": "ssl", "id.orig_h": "10.0.0.1", "id.resp_h": "10.0.0.2"});
        assert!(matches!(map_json(no_ts.as_object().unwrap(), 1), Parsed::Malformed(r) if r == "no ts"));
        let bad_port = json!({"_path": "ssl", "ts": 1, "id.orig_h": "10.0.0.1", "id.orig_p": "x",
            "id.resp_h": "10.0.0.2"});
        assert!(
            matches!(map_json(bad_port.as_object().unwrap(), 1), Parsed::Malformed(r) if r.contains("id.orig_p"))
        );
    }
}
