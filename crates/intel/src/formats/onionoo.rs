//! Onionoo `details` and `summary` documents (https://metrics.torproject.org/onionoo.html). Both are
//! read with one record type: summary documents use one-letter keys (`n`, `f`, `a`, `r`) where details
//! documents spell them out. Bridges are ignored; unknown fields are skipped.

use std::io::BufRead;
use std::net::IpAddr;

use serde::Deserialize;

use super::ParseContext;
use crate::error::{IntelError, Result};
use crate::model::{OrAddress, RelayObservation, Role, Snapshot, SourceKind, parse_tor_time};

#[derive(Deserialize)]
struct Document {
    relays_published: String,
    #[serde(default)]
    relays: Vec<Relay>,
}

#[derive(Deserialize)]
struct Relay {
    #[serde(alias = "n")]
    nickname: Option<String>,
    #[serde(alias = "f")]
    fingerprint: Option<String>,
    /// Details: `ip:port` / `[ip6]:port`, the first one primary.
    or_addresses: Option<Vec<String>>,
    /// Summary: bare IPs, OR and exit addresses mixed.
    a: Option<Vec<String>>,
    exit_addresses: Option<Vec<String>>,
    flags: Option<Vec<String>>,
    #[serde(alias = "r")]
    running: Option<bool>,
    first_seen: Option<String>,
    last_seen: Option<String>,
    last_changed_address_or_port: Option<String>,
    country: Option<String>,
    #[serde(rename = "as", alias = "as_number")]
    autonomous_system: Option<String>,
    verified_host_names: Option<Vec<String>>,
}

pub fn parse(reader: impl BufRead, context: &ParseContext) -> Result<Snapshot> {
    let source = context.source.as_str();
    let document: Document = serde_json::from_reader(reader).map_err(|e| match e.line() {
        0 => IntelError::parse(source, None, e.to_string()),
        line => IntelError::parse(source, Some(line as u64), e.to_string()),
    })?;
    let time = parse_tor_time(&document.relays_published)
        .map_err(|e| IntelError::parse(source, None, format!("relays_published: {e}")))?;
    let kind = if document.relays.iter().any(|r| r.a.is_some())
        && document.relays.iter().all(|r| r.or_addresses.is_none())
    {
        SourceKind::OnionooSummary
    } else {
        SourceKind::OnionooDetails
    };
    let relays = document
        .relays
        .into_iter()
        .enumerate()
        .map(|(index, relay)| {
            convert(relay)
                .map_err(|reason| IntelError::parse(source, None, format!("relays[{index}]: {reason}")))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Snapshot::with_default_validity(kind, source, time, relays))
}

fn convert(relay: Relay) -> Result<RelayObservation, String> {
    let fingerprint = relay.fingerprint.ok_or("no fingerprint")?.parse()?;
    let optional_time = |field: &str, value: Option<String>| {
        value
            .map(|text| parse_tor_time(&text).map_err(|e| format!("{field}: {e}")))
            .transpose()
    };
    let mut or_addresses = relay
        .or_addresses
        .unwrap_or_default()
        .iter()
        .map(|text| OrAddress::parse(text))
        .collect::<Result<Vec<_>, _>>()?;
    // Summary addresses have no port; IPv6 ones may or may not be bracketed.
    for text in relay.a.unwrap_or_default() {
        let bare = text.trim_start_matches('[').trim_end_matches(']');
        let ip: IpAddr = bare.parse().map_err(|_| format!("invalid address {text:?}"))?;
        or_addresses.push(OrAddress { ip, port: None });
    }
    let exit_addresses = relay
        .exit_addresses
        .unwrap_or_default()
        .iter()
        .map(|text| text.parse().map_err(|_| format!("invalid exit address {text:?}")))
        .collect::<Result<Vec<IpAddr>, _>>()?;
    let flags = relay.flags.unwrap_or_default();
    Ok(RelayObservation {
        fingerprint: Some(fingerprint),
        nickname: relay.nickname,
        role: Some(Role::from_flags(&flags)),
        or_addresses,
        exit_addresses,
        flags,
        running: relay.running,
        country: relay.country,
        autonomous_system: relay.autonomous_system,
        hostnames: relay.verified_host_names.unwrap_or_default(),
        first_seen: optional_time("first_seen", relay.first_seen)?,
        last_seen: optional_time("last_seen", relay.last_seen)?,
        published: None,
        last_changed_address: optional_time(
            "last_changed_address_or_port",
            relay.last_changed_address_or_port,
        )?,
    })
}
