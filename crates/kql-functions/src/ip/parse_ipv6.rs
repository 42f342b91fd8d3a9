//! `parse_ipv6(ip)`, `parse_ipv6_mask(ip, prefix)` and `ipv6_is_in_range(ip, range)`: IPv6 (or IPv4,
//! read as `::ffff:a.b.c.d`) addresses with their optional `/prefix`, in Kusto's canonical form of eight
//! four-digit hex groups (`parse_ipv6("192.168.255.255/24")` is
//! "0000:0000:0000:0000:0000:ffff:c0a8:ff00"); "" or null when the text is not an address.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::addr::{V6, mask_v6, parse_v6};

/// An address as `parse_ipv6` reads it: an IPv6 address written with IPv4 notation
/// (`::192.168.255.255/24`) counts its prefix in IPv4 bits, as the emulator's `parse_ipv6_mask` case
/// shows. (`ipv6_compare`'s emulator cases need the prefix of such an address as written, so
/// `parse_v6` keeps it.)
fn parse_address(text: &str) -> Option<V6> {
    let mut ip = parse_v6(text)?;
    if text.contains(':') && text.contains('.') && text.contains('/') {
        ip.prefix = ip.prefix.checked_add(96).filter(|p| *p <= 128)?;
    }
    Some(ip)
}
use crate::declare::*;
use crate::string::kernel::{Param, Params, bool_rows, define, string_rows};

/// `kql_parse_ipv6(ip: Utf8) -> Utf8`.
pub fn parse_ipv6() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_parse_ipv6",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let ip = args.str(0)?;
                string_rows(args, |row, out| {
                    if let Some(ip) = parse_address(ip.get(row)) {
                        write_canonical(mask_v6(ip.address, ip.prefix), out);
                    }
                    Ok(())
                })
            },
        )
    )
}

pub(crate) static PARSE_IPV6: KustoFunction = KustoFunction::scalar(
    Signature::scalar("parse_ipv6", &[P::Str], R::Fixed(T::String)),
    parse_ipv6,
);

/// `kql_parse_ipv6_mask(ip: Utf8, prefix: Int64) -> Utf8`; a prefix outside 0..=128 gives "".
pub fn parse_ipv6_mask() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_parse_ipv6_mask",
            Params::fixed(&[Param::Str, Param::Long]),
            DataType::Utf8,
            |args| {
                let (ip, prefix) = (args.str(0)?, args.long(1)?);
                string_rows(args, |row, out| {
                    let prefix = prefix
                        .get(row)
                        .and_then(|p| u32::try_from(p).ok())
                        .filter(|p| *p <= 128);
                    if let (Some(prefix), Some(ip)) = (prefix, parse_address(ip.get(row))) {
                        write_canonical(mask_v6(ip.address, ip.prefix.min(prefix)), out);
                    }
                    Ok(())
                })
            },
        )
    )
}

pub(crate) static PARSE_IPV6_MASK: KustoFunction = KustoFunction::scalar(
    Signature::scalar("parse_ipv6_mask", &[P::Str, P::Integer], R::Fixed(T::String)),
    parse_ipv6_mask,
);

/// `kql_ipv6_is_in_range(ip: Utf8, range: Utf8) -> Boolean`.
pub fn ipv6_is_in_range() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_ipv6_is_in_range",
            Params::fixed(&[Param::Str, Param::Str]),
            DataType::Boolean,
            |args| {
                let (ip, range) = (args.str(0)?, args.str(1)?);
                bool_rows(args, |row| {
                    let (Some(ip), Some(range)) = (parse_address(ip.get(row)), parse_address(range.get(row)))
                    else {
                        return Ok(None);
                    };
                    Ok(Some(within(ip, range)))
                })
            },
        )
    )
}

pub(crate) static IPV6_IS_IN_RANGE: KustoFunction = KustoFunction::scalar(
    Signature::scalar("ipv6_is_in_range", &[P::Str, P::Str], R::Fixed(T::Bool)),
    ipv6_is_in_range,
);

/// Whether `ip` (and its whole network) lies in `net`.
fn within(ip: V6, net: V6) -> bool {
    ip.prefix >= net.prefix && mask_v6(ip.address, net.prefix) == mask_v6(net.address, net.prefix)
}

fn write_canonical(address: u128, out: &mut String) {
    use std::fmt::Write;
    for group in 0..8 {
        let bits = (address >> (112 - 16 * group)) & 0xffff;
        let separator = if group == 0 { "" } else { ":" };
        // Writing to a String cannot fail.
        let _ = write!(out, "{separator}{bits:04x}");
    }
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    fn text(value: &str) -> ScalarValue {
        ScalarValue::Utf8(Some(value.to_string()))
    }

    #[test]
    fn docs_examples() {
        // Emulator case parse-ipv6-function-00.
        for (input, canonical) in [
            ("192.168.255.255", "0000:0000:0000:0000:0000:ffff:c0a8:ffff"),
            ("192.168.255.255/24", "0000:0000:0000:0000:0000:ffff:c0a8:ff00"),
            ("255.255.255.255", "0000:0000:0000:0000:0000:ffff:ffff:ffff"),
        ] {
            assert_eq!(
                call_scalars(&parse_ipv6(), vec![s(input)]),
                text(canonical),
                "{input}"
            );
        }
        // Emulator case parse-ipv6-mask-function-00: an address written with IPv4 notation counts its
        // prefix in IPv4 bits.
        for (input, prefix, canonical) in [
            ("192.168.255.255", 120, "0000:0000:0000:0000:0000:ffff:c0a8:ff00"),
            (
                "192.168.255.255/24",
                124,
                "0000:0000:0000:0000:0000:ffff:c0a8:ff00",
            ),
            (
                "fe80::85d:e82c:9446:7994",
                128,
                "fe80:0000:0000:0000:085d:e82c:9446:7994",
            ),
            (
                "fe80::85d:e82c:9446:7994/120",
                124,
                "fe80:0000:0000:0000:085d:e82c:9446:7900",
            ),
            (
                "::192.168.255.255",
                128,
                "0000:0000:0000:0000:0000:0000:c0a8:ffff",
            ),
            (
                "::192.168.255.255/24",
                128,
                "0000:0000:0000:0000:0000:0000:c0a8:ff00",
            ),
        ] {
            let args = vec![s(input), ScalarValue::Int64(Some(prefix))];
            assert_eq!(call_scalars(&parse_ipv6_mask(), args), text(canonical), "{input}");
        }
        assert_eq!(call_scalars(&parse_ipv6(), vec![s("not an address")]), text(""));
    }

    #[test]
    fn ranges() {
        // Emulator case ipv6-is-in-range-function-00.
        let ip = "a5e:f127:8a9d:146d:e102:b5d3:c755:abcd";
        for (range, expected) in [
            ("a5e:f127:8a9d:146d:e102:b5d3:c755:0000/112", true),
            ("a5e:f127:8a9d:146d:e102:b5d3:c755:abcd", true),
            ("0:0:0:0:0:ffff:c0a8:ac/60", false),
        ] {
            let result = call_scalars(&ipv6_is_in_range(), vec![s(ip), s(range)]);
            assert_eq!(result, ScalarValue::Boolean(Some(expected)), "{range}");
        }
        let result = call_scalars(&ipv6_is_in_range(), vec![s("nonsense"), s("::/0")]);
        assert_eq!(result, ScalarValue::Boolean(None));
    }
}
