//! Plain address lists: one IPv4 or IPv6 address per line, `#` comments and blank lines allowed. The Tor
//! bulk exit list and the `*.tor-nodes.lst` / `*.tor-exit-nodes.lst` archives look like this. They carry
//! no time, so the caller dates them (explicitly or by the file name).

use std::io::BufRead;
use std::net::IpAddr;

use super::{ParseContext, numbered_lines};
use crate::error::{IntelError, Result};
use crate::model::{OrAddress, RelayObservation, Role, Snapshot, SourceKind};

/// `kind` is [`SourceKind::ExitList`] or [`SourceKind::RelayList`]; exit lists give exit addresses,
/// relay lists OR addresses of relays of unknown role.
pub fn parse(reader: impl BufRead, context: &ParseContext, kind: SourceKind) -> Result<Snapshot> {
    let source = context.source.as_str();
    let mut relays = Vec::new();
    for line in numbered_lines(reader, source) {
        let (number, line) = line?;
        let entry = line.split('#').next().unwrap_or("").trim();
        if entry.is_empty() {
            continue;
        }
        let ip: IpAddr = entry.parse().map_err(|_| {
            IntelError::parse(
                source,
                Some(number),
                format!("{entry:?} is not an IPv4 or IPv6 address"),
            )
        })?;
        relays.push(match kind {
            SourceKind::ExitList => RelayObservation {
                exit_addresses: vec![ip],
                role: Some(Role::Exit),
                ..RelayObservation::default()
            },
            _ => RelayObservation {
                or_addresses: vec![OrAddress { ip, port: None }],
                ..RelayObservation::default()
            },
        });
    }
    let time = context.required_time("a plain address list")?;
    Ok(Snapshot::with_default_validity(kind, source, time, relays))
}
