//! `TorRelayIPs.csv`, the file the DetectTorRelayConnectivity rule loads with `externaldata`.
//!
//! It is written by the Tor-Project-Statistics PowerShell module (`Export-Csv -NoTypeInformation`): a
//! header, then one row per relay OR address, every value double-quoted, booleans as `True`/`False`,
//! several host names joined by spaces. Columns are found by header name, so the older layout with an
//! extra `RelayPublishDate` column reads too; `Fingerprint`, `IPAddress` and `AddressType` are required.

use std::collections::HashMap;
use std::io::BufRead;
use std::net::IpAddr;

use chrono::{DateTime, NaiveDateTime, Utc};

use super::ParseContext;
use crate::error::{IntelError, Result};
use crate::model::{Fingerprint, OrAddress, RelayObservation, Snapshot, SourceKind};

/// The header of the published file, in order.
pub const COLUMNS: [&str; 10] = [
    "Nickname",
    "Fingerprint",
    "EntryAddress",
    "IPAddress",
    "Port",
    "AddressType",
    "Hostname",
    "CountryCode",
    "IsRunning",
    "LastChangedIPData",
];

pub fn parse(reader: impl BufRead, context: &ParseContext) -> Result<Snapshot> {
    let source = context.source.as_str();
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(reader);
    let csv_error = |e: csv::Error| {
        let line = e.position().map(|p| p.line());
        IntelError::parse(source, line, e.to_string())
    };
    let headers = csv.headers().map_err(csv_error)?.clone();
    let column = |name: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let required = |name: &str| {
        column(name)
            .ok_or_else(|| IntelError::parse(source, Some(1), format!("header has no {name:?} column")))
    };
    let (fingerprint_at, ip_at, type_at) = (
        required("Fingerprint")?,
        required("IPAddress")?,
        required("AddressType")?,
    );
    let [nickname_at, port_at, host_at, country_at, running_at, changed_at] = [
        "Nickname",
        "Port",
        "Hostname",
        "CountryCode",
        "IsRunning",
        "LastChangedIPData",
    ]
    .map(column);

    let mut relays: Vec<RelayObservation> = Vec::new();
    let mut index_of: HashMap<Fingerprint, usize> = HashMap::new();
    for record in csv.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map(|p| p.line());
        let error = |reason: String| IntelError::parse(source, line, reason);
        let field = |at: Option<usize>| {
            at.and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };

        let ip_text = field(Some(ip_at)).unwrap_or("");
        let ip: IpAddr = ip_text
            .parse()
            .map_err(|_| error(format!("IPAddress {ip_text:?} is not an IP address")))?;
        let address_type = field(Some(type_at)).unwrap_or("");
        let type_matches = match address_type {
            "IPv4" => ip.is_ipv4(),
            "IPv6" => ip.is_ipv6(),
            other => {
                return Err(error(format!(
                    "AddressType {other:?} is neither \"IPv4\" nor \"IPv6\""
                )));
            }
        };
        if !type_matches {
            return Err(error(format!(
                "AddressType {address_type} does not match IPAddress {ip}"
            )));
        }
        let port = field(port_at)
            .map(|p| {
                p.parse::<u16>()
                    .map_err(|_| error(format!("Port {p:?} is not a port number")))
            })
            .transpose()?;
        let running = field(running_at)
            .map(|v| parse_bool(v).ok_or_else(|| error(format!("IsRunning {v:?} is not True or False"))))
            .transpose()?;
        let last_changed = field(changed_at)
            .map(|v| {
                parse_powershell_time(v)
                    .ok_or_else(|| error(format!("LastChangedIPData {v:?} is not a time")))
            })
            .transpose()?;
        let fingerprint = field(Some(fingerprint_at))
            .map(str::parse::<Fingerprint>)
            .transpose()
            .map_err(error)?;

        let relay = match fingerprint.and_then(|fp| index_of.get(&fp).copied()) {
            Some(index) => &mut relays[index],
            None => {
                if let Some(fp) = fingerprint {
                    index_of.insert(fp, relays.len());
                }
                relays.push(RelayObservation {
                    fingerprint,
                    nickname: field(nickname_at).map(str::to_string),
                    running,
                    country: field(country_at).map(str::to_string),
                    hostnames: field(host_at)
                        .map(|h| h.split_whitespace().map(str::to_string).collect())
                        .unwrap_or_default(),
                    last_changed_address: last_changed,
                    ..RelayObservation::default()
                });
                relays.last_mut().expect("just pushed")
            }
        };
        relay.or_addresses.push(OrAddress { ip, port });
    }
    let time = context.required_time("a TorRelayIPs.csv")?;
    let kind = SourceKind::TorRelayIpsCsv;
    Ok(Snapshot::with_default_validity(kind, source, time, relays))
}

/// Kusto's and PowerShell's spellings of a boolean.
fn parse_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// `LastChangedIPData` as torhunt writes it (`YYYY-MM-DD hh:mm:ss`, Onionoo's form) or as PowerShell's
/// invariant/en-US culture prints a `[datetime]` (`11/19/2022 10:00:00`, `11/19/2022 10:00:00 AM`).
fn parse_powershell_time(text: &str) -> Option<DateTime<Utc>> {
    [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %I:%M:%S %p",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powershell_times_and_booleans_are_understood() {
        let t = parse_powershell_time("11/19/2022 10:05:00 PM").unwrap();
        assert_eq!(t.to_rfc3339(), "2022-11-19T22:05:00+00:00");
        assert_eq!(
            parse_powershell_time("2022-11-19 10:05:00"),
            parse_powershell_time("11/19/2022 10:05:00")
        );
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("FALSE"), Some(false));
        assert_eq!(parse_bool("yes"), None);
    }
}
