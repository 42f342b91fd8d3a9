//! `parse_ipv4(ip)` and `parse_ipv4_mask(ip, prefix)`: an IPv4 address (masked by its `/prefix`
//! and the given prefix) as a long; null when the text is not an IPv4 address
//! (`parse_ipv4("192.168.1.1/24")` is 3232235776).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::addr::{mask_v4, parse_v4};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, long_rows};

/// `kql_parse_ipv4(ip: Utf8) -> Int64`.
pub fn parse_ipv4() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_parse_ipv4",
            Params::fixed(&[Param::Str]),
            DataType::Int64,
            |args| {
                let ip = args.str(0)?;
                long_rows(args, |row| {
                    Ok(parse_v4(ip.get(row)).map(|v| i64::from(mask_v4(v.address, v.prefix))))
                })
            },
        )
    )
}

pub(crate) static PARSE_IPV4: KustoFunction = KustoFunction::scalar(
    Signature::scalar("parse_ipv4", &[P::Str], R::Fixed(T::Long)),
    parse_ipv4,
);

/// `kql_parse_ipv4_mask(ip: Utf8, prefix: Int64) -> Int64`; a prefix outside 0..=32 gives null.
pub fn parse_ipv4_mask() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_parse_ipv4_mask",
            Params::fixed(&[Param::Str, Param::Long]),
            DataType::Int64,
            |args| {
                let (ip, prefix) = (args.str(0)?, args.long(1)?);
                long_rows(args, |row| {
                    let Some(prefix) = prefix.get(row).filter(|p| (0..=32).contains(p)) else {
                        return Ok(None);
                    };
                    Ok(parse_v4(ip.get(row))
                        .map(|v| i64::from(mask_v4(v.address, v.prefix.min(prefix as u32)))))
                })
            },
        )
    )
}

pub(crate) static PARSE_IPV4_MASK: KustoFunction = KustoFunction::scalar(
    Signature::scalar("parse_ipv4_mask", &[P::Str, P::Integer], R::Fixed(T::Long)),
    parse_ipv4_mask,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // Emulator cases parse-ipv4-function-00 and parse-ipv4-mask-function-00.
        assert_eq!(
            call_scalars(&parse_ipv4(), vec![s("192.168.1.1")]),
            long(3232235777)
        );
        assert_eq!(
            call_scalars(&parse_ipv4(), vec![s("192.168.1.1/24")]),
            long(3232235776)
        );
        assert_eq!(
            call_scalars(&parse_ipv4(), vec![s("255.255.255.255/31")]),
            long(4294967294)
        );
        assert_eq!(
            call_scalars(&parse_ipv4(), vec![s("not an ip")]),
            ScalarValue::Int64(None)
        );
        assert_eq!(
            call_scalars(&parse_ipv4_mask(), vec![s("127.0.0.1"), long(24)]),
            long(2130706432)
        );
    }
}
