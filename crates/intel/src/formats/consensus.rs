//! Network-status consensus documents (dir-spec section 3.4.1), full and microdesc flavour, with or
//! without CollecTor's `@type` annotation. Only what locates relays is read: `valid-after`,
//! `fresh-until`, and per relay its `r`, `a` and `s` lines.

use std::io::BufRead;

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use chrono::{DateTime, Utc};

use super::{ParseContext, numbered_lines};
use crate::error::{IntelError, Result};
use crate::model::{Fingerprint, OrAddress, RelayObservation, Role, Snapshot, SourceKind, parse_tor_time};

/// Tor writes base64 without the trailing `=`; accept it either way.
const IDENTITY_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

pub fn parse(reader: impl BufRead, context: &ParseContext) -> Result<Snapshot> {
    let source = context.source.as_str();
    let error = |line: u64, reason: String| IntelError::parse(source, Some(line), reason);
    let mut seen_version = false;
    let mut valid_after: Option<DateTime<Utc>> = None;
    let mut fresh_until: Option<DateTime<Utc>> = None;
    let mut relays: Vec<RelayObservation> = Vec::new();
    let mut in_footer = false;
    // Signature blocks of the footer: whole ones, and whether one is open.
    let (mut signatures, mut in_signature) = (0, false);

    for line in numbered_lines(reader, source) {
        let (number, line) = line?;
        let (keyword, rest) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        if !seen_version {
            match keyword {
                "@type" => continue,
                "network-status-version" if rest.split_whitespace().next() == Some("3") => {
                    seen_version = true;
                    continue;
                }
                "" => continue,
                _ => {
                    return Err(error(
                        number,
                        "not a network-status consensus: expected `network-status-version 3`".into(),
                    ));
                }
            }
        }
        if in_footer {
            // Signatures follow; nothing about relays, but they tell the document is whole.
            match line.trim_end() {
                "-----BEGIN SIGNATURE-----" => in_signature = true,
                "-----END SIGNATURE-----" if in_signature => {
                    in_signature = false;
                    signatures += 1;
                }
                _ => {}
            }
            continue;
        }
        match keyword {
            "vote-status" if rest.trim() != "consensus" => {
                return Err(error(
                    number,
                    format!("vote-status {:?} is not supported, only consensuses", rest.trim()),
                ));
            }
            "valid-after" => valid_after = Some(parse_tor_time(rest).map_err(|e| error(number, e))?),
            "fresh-until" => fresh_until = Some(parse_tor_time(rest).map_err(|e| error(number, e))?),
            "r" => relays.push(parse_router_line(rest).map_err(|e| error(number, e))?),
            "a" | "s" => {
                let relay = relays
                    .last_mut()
                    .ok_or_else(|| error(number, format!("`{keyword}` line before any `r` line")))?;
                if keyword == "a" {
                    relay
                        .or_addresses
                        .push(OrAddress::parse(rest.trim()).map_err(|e| error(number, e))?);
                } else {
                    relay.flags = rest.split_whitespace().map(str::to_string).collect();
                    relay.role = Some(Role::from_flags(&relay.flags));
                    relay.running = Some(relay.flags.iter().any(|f| f == "Running"));
                }
            }
            "directory-footer" => in_footer = true,
            _ => {}
        }
    }

    if !seen_version {
        return Err(IntelError::parse(
            source,
            None,
            "empty document: not a network-status consensus",
        ));
    }
    if !in_footer || signatures == 0 || in_signature {
        return Err(IntelError::parse(
            source,
            None,
            "the consensus ends before its footer and signatures: it is cut short, and is refused \
             rather than read as a smaller network",
        ));
    }
    let time = valid_after.ok_or_else(|| IntelError::parse(source, None, "no `valid-after` line"))?;
    let valid_until = fresh_until.unwrap_or(time + SourceKind::Consensus.default_validity());
    Ok(Snapshot {
        kind: SourceKind::Consensus,
        source: source.to_string(),
        time,
        valid_until,
        relays,
    })
}

/// `r nickname identity [digest] YYYY-MM-DD hh:mm:ss IP ORPort DirPort`; the microdesc flavour has no
/// digest field.
fn parse_router_line(rest: &str) -> Result<RelayObservation, String> {
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let (nickname, identity, date_time_and_ports) = match fields.as_slice() {
        [nickname, identity, _digest, tail @ ..] if tail.len() == 5 => (nickname, identity, tail),
        [nickname, identity, tail @ ..] if tail.len() == 5 => (nickname, identity, tail),
        _ => {
            return Err(format!(
                "`r` line has {} fields, expected 8 (full flavour) or 7 (microdesc flavour)",
                fields.len()
            ));
        }
    };
    let [date, time, ip, or_port, _dir_port] = date_time_and_ports else {
        return Err("`r` line is truncated".into());
    };
    let identity_bytes = IDENTITY_BASE64
        .decode(identity)
        .map_err(|e| format!("relay identity {identity:?} is not base64: {e}"))?;
    let fingerprint: [u8; 20] = identity_bytes.try_into().map_err(|bytes: Vec<u8>| {
        format!(
            "relay identity {identity:?} decodes to {} bytes, not 20",
            bytes.len()
        )
    })?;
    let ip = ip
        .parse()
        .map_err(|_| format!("invalid IPv4 address {ip:?} in `r` line"))?;
    let port = or_port
        .parse()
        .map_err(|_| format!("invalid ORPort {or_port:?} in `r` line"))?;
    Ok(RelayObservation {
        fingerprint: Some(Fingerprint(fingerprint)),
        nickname: Some(nickname.to_string()),
        or_addresses: vec![OrAddress { ip, port: Some(port) }],
        published: Some(parse_tor_time(&format!("{date} {time}"))?),
        ..RelayObservation::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microdesc_router_lines_have_no_digest() {
        let relay =
            parse_router_line("seele AAoQ1DAR6kkoo19hBAX5K0QztNw 2022-11-19 03:58:26 104.53.221.159 9001 0")
                .unwrap();
        assert_eq!(
            relay.fingerprint.unwrap().to_string(),
            "000A10D43011EA4928A35F610405F92B4433B4DC"
        );
        assert_eq!(relay.or_addresses[0].to_string(), "104.53.221.159:9001");
    }

    #[test]
    fn malformed_router_lines_are_explained() {
        let err = parse_router_line("seele AAoQ 2022-11-19").unwrap_err();
        assert!(err.contains("3 fields"), "{err}");
        let err = parse_router_line("seele AAoQ1DAR6kkoo19hBAX5K0Qz 2022-11-19 03:58:26 1.2.3.4 9001 0")
            .unwrap_err();
        assert!(err.contains("not 20"), "{err}");
    }
}
