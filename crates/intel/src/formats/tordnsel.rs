//! TorDNSEL exit lists as archived by CollecTor (`@type tordnsel 1.0`) or served live by
//! check.torproject.org/exit-addresses (same records, no `@type` nor `Downloaded` line).
//!
//! ```text
//! Downloaded 2018-11-01 00:02:01
//! ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E
//! Published 2018-10-31 05:08:21
//! LastStatus 2018-10-31 06:02:24
//! ExitAddress 162.247.74.201 2018-10-31 06:03:23
//! ```

use std::io::BufRead;

use super::{ParseContext, numbered_lines};
use crate::error::{IntelError, Result};
use crate::model::{RelayObservation, Role, Snapshot, SourceKind, parse_tor_time};

pub fn parse(reader: impl BufRead, context: &ParseContext) -> Result<Snapshot> {
    let source = context.source.as_str();
    let error = |line: u64, reason: String| IntelError::parse(source, Some(line), reason);
    let mut downloaded = None;
    let mut relays: Vec<RelayObservation> = Vec::new();

    for line in numbered_lines(reader, source) {
        let (number, line) = line?;
        let (keyword, rest) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        match keyword {
            "Downloaded" => downloaded = Some(parse_tor_time(rest).map_err(|e| error(number, e))?),
            "ExitNode" => relays.push(RelayObservation {
                fingerprint: Some(rest.trim().parse().map_err(|e| error(number, e))?),
                role: Some(Role::Exit),
                ..RelayObservation::default()
            }),
            "Published" => {
                current(&mut relays, keyword)
                    .map_err(|e| error(number, e))?
                    .published = Some(parse_tor_time(rest).map_err(|e| error(number, e))?)
            }
            "LastStatus" => {
                current(&mut relays, keyword)
                    .map_err(|e| error(number, e))?
                    .last_seen = Some(parse_tor_time(rest).map_err(|e| error(number, e))?)
            }
            "ExitAddress" => {
                // `ExitAddress IP YYYY-MM-DD hh:mm:ss`: the time is when the exit was last tested.
                let ip_text = rest.split_whitespace().next().unwrap_or("");
                let ip = ip_text
                    .parse()
                    .map_err(|_| error(number, format!("invalid exit address {ip_text:?}")))?;
                let relay = current(&mut relays, keyword).map_err(|e| error(number, e))?;
                if !relay.exit_addresses.contains(&ip) {
                    relay.exit_addresses.push(ip);
                }
            }
            _ => {}
        }
    }

    // Every entry lists the address its exit was seen using; one without is the cut-off last entry.
    if let Some(entry) = relays.iter().find(|r| r.exit_addresses.is_empty()) {
        let fingerprint = entry.fingerprint.map(|f| f.to_string()).unwrap_or_default();
        return Err(IntelError::parse(
            source,
            None,
            format!("the entry of ExitNode {fingerprint} has no ExitAddress: the list is cut short"),
        ));
    }
    let time = match downloaded {
        Some(time) => time,
        None => context.required_time("an exit list without a `Downloaded` line")?,
    };
    Ok(Snapshot::with_default_validity(
        SourceKind::TorDnsel,
        source,
        time,
        relays,
    ))
}

/// The relay that the record lines after an `ExitNode` line belong to.
fn current<'a>(
    relays: &'a mut [RelayObservation],
    keyword: &str,
) -> Result<&'a mut RelayObservation, String> {
    relays
        .last_mut()
        .ok_or_else(|| format!("`{keyword}` line before any `ExitNode` line"))
}
