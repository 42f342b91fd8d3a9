//! `ipv4_netmask_suffix(ip)`: the prefix length of an IPv4 address in CIDR notation, 32 when it has
//! none, null when the text is not an IPv4 address (`ipv4_netmask_suffix("192.168.1.1/24")` is 24).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::addr::parse_v4;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, long_rows};

/// `kql_ipv4_netmask_suffix(ip: Utf8) -> Int64`.
pub fn ipv4_netmask_suffix() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_ipv4_netmask_suffix",
            Params::fixed(&[Param::Str]),
            DataType::Int64,
            |args| {
                let ip = args.str(0)?;
                long_rows(args, |row| Ok(parse_v4(ip.get(row)).map(|v| i64::from(v.prefix))))
            },
        )
    )
}

pub(crate) static IPV4_NETMASK_SUFFIX: KustoFunction = KustoFunction::scalar(
    Signature::scalar("ipv4_netmask_suffix", &[P::Str], R::Fixed(T::Long)),
    ipv4_netmask_suffix,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples_and_invalid_text() {
        // The docs' table: 10.1.2.3 is 32, 192.168.1.1/24 is 24, 127.0.0.1/16 is 16.
        for (ip, suffix) in [("10.1.2.3", 32), ("192.168.1.1/24", 24), ("127.0.0.1/16", 16)] {
            assert_eq!(
                call_scalars(&ipv4_netmask_suffix(), vec![s(ip)]),
                long(suffix),
                "{ip}"
            );
        }
        // "null: if parsing of the input as IPv4 address string wasn't successful".
        for ip in ["not an ip", "10.1.2.3/33", "::1", ""] {
            assert_eq!(
                call_scalars(&ipv4_netmask_suffix(), vec![s(ip)]),
                ScalarValue::Int64(None),
                "{ip}"
            );
        }
    }
}
