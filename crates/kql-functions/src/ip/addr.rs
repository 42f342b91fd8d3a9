//! IP address text as Kusto's IP functions read it: an address with an optional `/prefix`, IPv4 as
//! 32-bit and IPv6 as 128-bit numbers (IPv4 maps into IPv6 as `::ffff:a.b.c.d`, its prefix + 96).

use std::net::{Ipv4Addr, Ipv6Addr};

/// An IPv4 address and prefix length (32 when none is given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct V4 {
    pub address: u32,
    pub prefix: u32,
}

/// An IPv6 address and prefix length (128 when none is given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct V6 {
    pub address: u128,
    pub prefix: u32,
}

fn split_prefix(text: &str) -> Option<(&str, Option<u32>)> {
    let text = text.trim();
    match text.split_once('/') {
        Some((address, prefix)) => Some((address, Some(prefix.trim().parse().ok()?))),
        None => Some((text, None)),
    }
}

pub(crate) fn parse_v4(text: &str) -> Option<V4> {
    let (address, prefix) = split_prefix(text)?;
    let address: Ipv4Addr = address.parse().ok()?;
    let prefix = prefix.unwrap_or(32);
    (prefix <= 32).then_some(V4 {
        address: address.to_bits(),
        prefix,
    })
}

pub(crate) fn parse_v6(text: &str) -> Option<V6> {
    if let Some(v4) = parse_v4(text) {
        let mapped = Ipv4Addr::from_bits(v4.address).to_ipv6_mapped().to_bits();
        return Some(V6 {
            address: mapped,
            prefix: v4.prefix + 96,
        });
    }
    let (address, prefix) = split_prefix(text)?;
    let address: Ipv6Addr = address.parse().ok()?;
    let prefix = prefix.unwrap_or(128);
    (prefix <= 128).then_some(V6 {
        address: address.to_bits(),
        prefix,
    })
}

pub(crate) fn mask_v4(address: u32, prefix: u32) -> u32 {
    if prefix == 0 {
        0
    } else {
        address & (u32::MAX << (32 - prefix.min(32)))
    }
}

pub(crate) fn mask_v6(address: u128, prefix: u32) -> u128 {
    if prefix == 0 {
        0
    } else {
        address & (u128::MAX << (128 - prefix.min(128)))
    }
}

/// The IPv4 addresses written in free text, each delimited by non-alphanumeric characters (docs:
/// "05:04:54127.0.0.1" holds no properly delimited address).
pub(crate) fn ipv4_in_text(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|run| !run.is_empty())
        .filter(move |run| {
            // Reject runs glued to letters ("a127.0.0.1"): the characters around must not be alphanumeric.
            let start = run.as_ptr() as usize - text.as_ptr() as usize;
            let before = text[..start].chars().next_back();
            let after = text[start + run.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
        .filter(|run| run.parse::<Ipv4Addr>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_prefixes_parse() {
        assert_eq!(
            parse_v4("192.168.1.1/24"),
            Some(V4 {
                address: 0xC0A8_0101,
                prefix: 24
            })
        );
        assert_eq!(parse_v4("127.0.0.256"), None);
        assert_eq!(parse_v4("1.2.3.4/33"), None);
        assert_eq!(parse_v6("192.168.1.1").map(|v| v.prefix), Some(128));
        assert_eq!(
            parse_v6("fe80::85d:e82c:9446:7994/120").map(|v| v.prefix),
            Some(120)
        );
    }

    #[test]
    fn text_scanning_needs_delimiters() {
        let found: Vec<_> = ipv4_in_text("05:04:54 127.0.0.1 GET /favicon.ico 404").collect();
        assert_eq!(found, ["127.0.0.1"]);
        assert_eq!(ipv4_in_text("05:04:54127.0.0.1 GET").count(), 0);
        assert_eq!(ipv4_in_text("x127.0.0.1").count(), 0);
    }
}
