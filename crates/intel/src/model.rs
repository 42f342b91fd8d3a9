//! The observation model every parser produces, whatever the document format.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// A relay identity fingerprint: SHA-1 of the relay's RSA identity key, shown as 40 upper-case hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint(pub [u8; 20]);

/// Hex text for people (JSON), raw bytes for the binary store.
impl Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.collect_str(self)
        } else {
            self.0.serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            let text = String::deserialize(deserializer)?;
            text.parse().map_err(serde::de::Error::custom)
        } else {
            <[u8; 20]>::deserialize(deserializer).map(Fingerprint)
        }
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02X}"))
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

impl FromStr for Fingerprint {
    type Err = String;

    /// Accepts 40 hex digits in either case; Onionoo and TorDNSEL use upper case.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || format!("invalid relay fingerprint {text:?}: expected 40 hex digits");
        if text.len() != 40 || !text.is_ascii() {
            return Err(invalid());
        }
        let mut bytes = [0u8; 20];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|_| invalid())?;
        }
        Ok(Fingerprint(bytes))
    }
}

/// What a relay address was used for, strongest last: an exit outranks a guard, a guard any other relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Other,
    Guard,
    Exit,
}

impl Role {
    /// The role a relay's flags give it. `BadExit` relays still exit (clients just avoid them).
    pub fn from_flags<S: AsRef<str>>(flags: &[S]) -> Role {
        let has = |name: &str| flags.iter().any(|f| f.as_ref() == name);
        if has("Exit") {
            Role::Exit
        } else if has("Guard") {
            Role::Guard
        } else {
            Role::Other
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Role::Exit => "exit",
            Role::Guard => "guard",
            Role::Other => "other",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The kind of document a snapshot came from. Intervals and the shrink check are kept per kind: an
/// address missing from an exit list says nothing about the relay list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A network-status consensus, full or microdesc flavour.
    Consensus,
    OnionooDetails,
    OnionooSummary,
    /// A TorDNSEL exit list (CollecTor `@type tordnsel`).
    #[serde(rename = "tordnsel")]
    TorDnsel,
    /// A plain list of exit addresses (the bulk exit list, `*.tor-exit-nodes.lst`).
    ExitList,
    /// A plain list of all relay addresses (`*.tor-nodes.lst`).
    RelayList,
    /// A `TorRelayIPs.csv` as published for the DetectTorRelayConnectivity rule.
    #[serde(rename = "torrelayips-csv")]
    TorRelayIpsCsv,
}

impl SourceKind {
    pub const ALL: [SourceKind; 7] = [
        SourceKind::Consensus,
        SourceKind::OnionooDetails,
        SourceKind::OnionooSummary,
        SourceKind::TorDnsel,
        SourceKind::ExitList,
        SourceKind::RelayList,
        SourceKind::TorRelayIpsCsv,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Consensus => "consensus",
            SourceKind::OnionooDetails => "onionoo-details",
            SourceKind::OnionooSummary => "onionoo-summary",
            SourceKind::TorDnsel => "tordnsel",
            SourceKind::ExitList => "exit-list",
            SourceKind::RelayList => "relay-list",
            SourceKind::TorRelayIpsCsv => "torrelayips-csv",
        }
    }

    /// How long a snapshot of this kind vouches for its addresses when no later snapshot of the same
    /// kind says otherwise. Consensuses carry their own (`fresh-until`); everything else is a daily
    /// product or a record of the past 24 hours.
    pub fn default_validity(self) -> TimeDelta {
        match self {
            SourceKind::Consensus => TimeDelta::hours(1),
            _ => TimeDelta::days(1),
        }
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An address where a relay accepts onion-routing connections; plain lists give no port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OrAddress {
    pub ip: IpAddr,
    pub port: Option<u16>,
}

impl OrAddress {
    /// Parses `1.2.3.4:9001` or `[2001:db8::1]:9001`.
    pub fn parse(text: &str) -> Result<OrAddress, String> {
        let invalid = || format!("invalid address {text:?}: expected IP:port or [IPv6]:port");
        let (host, port) = text.rsplit_once(':').ok_or_else(invalid)?;
        let host = match host.strip_prefix('[') {
            Some(rest) => rest.strip_suffix(']').ok_or_else(invalid)?,
            None if host.contains(':') => return Err(invalid()),
            None => host,
        };
        let ip = host.parse().map_err(|_| invalid())?;
        let port = port.parse().map_err(|_| invalid())?;
        Ok(OrAddress { ip, port: Some(port) })
    }
}

impl fmt::Display for OrAddress {
    /// `ip:port` with IPv6 in brackets, as Onionoo writes `or_addresses`; just the IP without a port.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.ip, self.port) {
            (IpAddr::V6(ip), Some(port)) => write!(f, "[{ip}]:{port}"),
            (ip, Some(port)) => write!(f, "{ip}:{port}"),
            (ip, None) => write!(f, "{ip}"),
        }
    }
}

/// One relay as one document saw it. Fields a format does not carry are `None` or empty.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RelayObservation {
    pub fingerprint: Option<Fingerprint>,
    pub nickname: Option<String>,
    pub or_addresses: Vec<OrAddress>,
    /// Addresses the relay was seen exiting from, when they are known separately.
    pub exit_addresses: Vec<IpAddr>,
    pub flags: Vec<String>,
    /// Derived from the flags, or from the document kind (an exit list lists exits).
    pub role: Option<Role>,
    pub running: Option<bool>,
    pub country: Option<String>,
    pub autonomous_system: Option<String>,
    pub hostnames: Vec<String>,
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
    /// When the relay published the descriptor this observation rests on.
    pub published: Option<DateTime<Utc>>,
    pub last_changed_address: Option<DateTime<Utc>>,
}

impl RelayObservation {
    pub fn role(&self) -> Role {
        self.role.unwrap_or(Role::Other)
    }

    /// Every distinct address of the relay with the role it had there: OR addresses carry the relay's
    /// role, separate exit addresses are exits.
    pub fn addresses(&self) -> Vec<(IpAddr, Option<u16>, Role)> {
        let mut out: Vec<(IpAddr, Option<u16>, Role)> = Vec::new();
        for a in &self.or_addresses {
            if !out.iter().any(|(ip, ..)| *ip == a.ip) {
                out.push((a.ip, a.port, self.role()));
            }
        }
        for ip in &self.exit_addresses {
            match out.iter_mut().find(|(known, ..)| known == ip) {
                Some(entry) => entry.2 = Role::Exit,
                None => out.push((*ip, None, Role::Exit)),
            }
        }
        out
    }
}

/// One parsed document: what the network looked like at `time` according to one source.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub kind: SourceKind,
    /// File name or URL the document came from.
    pub source: String,
    pub time: DateTime<Utc>,
    /// Until when the document vouches for its content when no later snapshot follows.
    pub valid_until: DateTime<Utc>,
    pub relays: Vec<RelayObservation>,
}

impl Snapshot {
    /// A document that says nothing of its own validity: it vouches for its kind's default period.
    pub fn with_default_validity(
        kind: SourceKind,
        source: &str,
        time: DateTime<Utc>,
        relays: Vec<RelayObservation>,
    ) -> Snapshot {
        Snapshot {
            kind,
            source: source.to_string(),
            time,
            valid_until: time + kind.default_validity(),
            relays,
        }
    }
}

/// Parses Tor's `YYYY-MM-DD hh:mm:ss` (UTC), as used by consensuses, TorDNSEL and Onionoo.
pub fn parse_tor_time(text: &str) -> Result<DateTime<Utc>, String> {
    NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S")
        .map(|t| t.and_utc())
        .map_err(|_| format!("invalid time {text:?}: expected YYYY-MM-DD hh:mm:ss"))
}

/// Parses a user-given time: RFC 3339, `YYYY-MM-DD hh:mm:ss`, `YYYY-MM-DDThh:mm:ss` or `YYYY-MM-DD`
/// (midnight), all UTC unless an offset is given.
pub fn parse_user_time(text: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(t.and_utc());
        }
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| {
            format!("invalid time {text:?}: expected e.g. 2023-03-01, 2023-03-01 12:00:00 or RFC 3339")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_round_trip_in_upper_case() {
        let text = "0011bd2485ad45d984ec4159c88fc066e5e3300e";
        let fp: Fingerprint = text.parse().unwrap();
        assert_eq!(fp.to_string(), text.to_ascii_uppercase());
        assert!("0011BD".parse::<Fingerprint>().is_err());
        assert!(
            "Z011BD2485AD45D984EC4159C88FC066E5E3300E"
                .parse::<Fingerprint>()
                .is_err()
        );
    }

    #[test]
    fn or_addresses_parse_both_families() {
        let v4 = OrAddress::parse("1.2.3.4:9001").unwrap();
        assert_eq!((v4.ip.to_string(), v4.port), ("1.2.3.4".to_string(), Some(9001)));
        let v6 = OrAddress::parse("[2001:db8::1]:443").unwrap();
        assert_eq!(v6.to_string(), "[2001:db8::1]:443");
        assert!(OrAddress::parse("2001:db8::1:443").is_err());
        assert!(OrAddress::parse("1.2.3.4").is_err());
        assert!(OrAddress::parse("1.2.3.4:99999").is_err());
    }

    #[test]
    fn serialized_names_are_the_display_names() {
        for kind in SourceKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.name());
        }
        assert_eq!(serde_json::to_value(Role::Exit).unwrap(), "exit");
    }

    #[test]
    fn roles_follow_flags() {
        assert_eq!(Role::from_flags(&["Exit", "Guard"]), Role::Exit);
        assert_eq!(Role::from_flags(&["Guard", "Running"]), Role::Guard);
        assert_eq!(Role::from_flags::<&str>(&[]), Role::Other);
    }
}
