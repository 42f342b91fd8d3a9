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

/// The IPv4 addresses written in free text: each a dotted quad (four numbers of one to three digits,
/// at most 255, without leading zeros) that no letter or digit touches. The docs: "IP address
/// entrances in a text must be properly delimited with non-alphanumeric characters", so
/// "05:04:54127.0.0.1" holds none, and an address that ends a sentence ("from 10.1.1.201.") is one.
pub(crate) fn ipv4_in_text(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let alphanumeric_before =
        move |at: usize| text[..at].chars().next_back().is_some_and(char::is_alphanumeric);
    (0..bytes.len())
        .filter(move |&start| bytes[start].is_ascii_digit() && !alphanumeric_before(start))
        .filter_map(move |start| {
            let mut end = start;
            for group in 0..4 {
                if group > 0 {
                    if bytes.get(end) != Some(&b'.') {
                        return None;
                    }
                    end += 1;
                }
                let digits = bytes[end..].iter().take_while(|b| b.is_ascii_digit()).count();
                let number = &text[end..end + digits];
                let leading_zero = digits > 1 && number.starts_with('0');
                if digits == 0 || leading_zero || number.parse::<u8>().is_err() {
                    return None;
                }
                end += digits;
            }
            let alphanumeric_after = text[end..].chars().next().is_some_and(char::is_alphanumeric);
            (!alphanumeric_after).then(|| &text[start..end])
        })
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
        assert_eq!(ipv4_in_text("127.0.0.1x 127.0.0.12345").count(), 0);
        let found: Vec<_> = ipv4_in_text("from 10.1.1.201. and [10.0.0.7]:443, é1.2.3.4").collect();
        assert_eq!(found, ["10.1.1.201", "10.0.0.7"]);
        assert_eq!(ipv4_in_text("01.2.3.4 1.2.3.256 1.2.3").count(), 0);
    }
}
