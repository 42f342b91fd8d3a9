//! `ipv4_is_in_range(ip, range)` and `ipv4_is_private(ip)`: whether an address (with its optional
//! `/prefix`) lies in a network; null when the text is not an IPv4 address
//! (`ipv4_is_in_range("192.168.1.1", "192.168.1.255/24")` is true; private ranges are those of
//! RFC 1918: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::addr::{V4, mask_v4, parse_v4};
use crate::declare::*;
use crate::string::kernel::{Param, Params, bool_rows, define};

/// `kql_ipv4_is_in_range(ip: Utf8, range: Utf8) -> Boolean`.
pub fn ipv4_is_in_range() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_ipv4_is_in_range",
            Params::fixed(&[Param::Str, Param::Str]),
            DataType::Boolean,
            |args| {
                let (ip, range) = (args.str(0)?, args.str(1)?);
                bool_rows(args, |row| {
                    let (Some(ip), Some(range)) = (parse_v4(ip.get(row)), parse_v4(range.get(row))) else {
                        return Ok(None);
                    };
                    Ok(Some(within(ip, range)))
                })
            },
        )
    )
}

pub(crate) static IPV4_IS_IN_RANGE: KustoFunction = KustoFunction::scalar(
    Signature::scalar("ipv4_is_in_range", &[P::Str, P::Str], R::Fixed(T::Bool)),
    ipv4_is_in_range,
);

/// `kql_ipv4_is_private(ip: Utf8) -> Boolean`.
pub fn ipv4_is_private() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        const PRIVATE: [V4; 3] = [
            V4 {
                address: 0x0A00_0000,
                prefix: 8,
            },
            V4 {
                address: 0xAC10_0000,
                prefix: 12,
            },
            V4 {
                address: 0xC0A8_0000,
                prefix: 16,
            },
        ];
        define(
            "kql_ipv4_is_private",
            Params::fixed(&[Param::Str]),
            DataType::Boolean,
            |args| {
                let ip = args.str(0)?;
                bool_rows(args, |row| {
                    Ok(parse_v4(ip.get(row)).map(|ip| PRIVATE.iter().any(|&net| within(ip, net))))
                })
            },
        )
    })
}

pub(crate) static IPV4_IS_PRIVATE: KustoFunction = KustoFunction::scalar(
    Signature::scalar("ipv4_is_private", &[P::Str], R::Fixed(T::Bool)),
    ipv4_is_private,
);

/// Whether the whole of `ip`'s network lies in `net`.
pub(crate) fn within(ip: V4, net: V4) -> bool {
    ip.prefix >= net.prefix && mask_v4(ip.address, net.prefix) == mask_v4(net.address, net.prefix)
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // Emulator case ipv4-is-in-range-function-00.
        let t = ScalarValue::Boolean(Some(true));
        let f = ScalarValue::Boolean(Some(false));
        assert_eq!(
            call_scalars(&ipv4_is_in_range(), vec![s("192.168.1.1"), s("192.168.1.1")]),
            t
        );
        assert_eq!(
            call_scalars(&ipv4_is_in_range(), vec![s("192.168.1.1"), s("192.168.1.255/24")]),
            t
        );
        assert_eq!(
            call_scalars(&ipv4_is_in_range(), vec![s("192.168.2.1"), s("192.168.1.255/24")]),
            f
        );
        // ipv4_is_private docs: '172.16.1.1' true, '192.168.1.1/24' true, '10.1.2.3/24' true,
        // '192.10.1.1' false, '192.168.1.1/12'... wider than the private net is false.
        assert_eq!(call_scalars(&ipv4_is_private(), vec![s("172.16.1.1")]), t);
        assert_eq!(call_scalars(&ipv4_is_private(), vec![s("192.168.1.1/24")]), t);
        assert_eq!(call_scalars(&ipv4_is_private(), vec![s("10.1.2.3/24")]), t);
        assert_eq!(call_scalars(&ipv4_is_private(), vec![s("192.10.1.1")]), f);
        assert_eq!(call_scalars(&ipv4_is_private(), vec![s("192.168.1.1/12")]), f);
        assert_eq!(
            call_scalars(&ipv4_is_private(), vec![s("nope")]),
            ScalarValue::Boolean(None)
        );
    }
}
