//! `ipv4_compare`, `ipv4_is_match`, `ipv6_compare`, `ipv6_is_match`: compare two addresses over the
//! shortest of their `/prefix`es and the optional prefix argument; compare gives -1/0/1, is_match
//! whether they are equal, null when either side is not an address
//! (`ipv4_compare("192.168.1.1/24", "192.168.1.255")` is 0). IPv6 forms accept IPv4 too.

use std::cmp::Ordering;
use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;

use super::addr::{mask_v4, mask_v6, parse_v4, parse_v6};
use crate::declare::*;
use crate::string::kernel::{Args, Param, Params, bool_rows, define, long_rows};

const PARAMS: Params = Params::optional(&[Param::Str, Param::Str], &[Param::Long]);

/// `kql_ipv4_compare(ip1: Utf8, ip2: Utf8[, prefix: Int64]) -> Int64`.
pub fn ipv4_compare() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_ipv4_compare", PARAMS, DataType::Int64, |args| {
            let orderings = orderings(args, Family::V4)?;
            long_rows(args, |row| Ok(orderings[row].map(|o| o as i64)))
        })
    )
}

pub(crate) static IPV4_COMPARE: KustoFunction = KustoFunction::scalar(
    Signature::scalar("ipv4_compare", &[P::Str, P::Str, P::Integer], R::Fixed(T::Long)).optional_from(2),
    ipv4_compare,
);

/// `kql_ipv4_is_match(ip1: Utf8, ip2: Utf8[, prefix: Int64]) -> Boolean`.
pub fn ipv4_is_match() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_ipv4_is_match", PARAMS, DataType::Boolean, |args| {
            let orderings = orderings(args, Family::V4)?;
            bool_rows(args, |row| Ok(orderings[row].map(Ordering::is_eq)))
        })
    )
}

pub(crate) static IPV4_IS_MATCH: KustoFunction = KustoFunction::scalar(
    Signature::scalar("ipv4_is_match", &[P::Str, P::Str, P::Integer], R::Fixed(T::Bool)).optional_from(2),
    ipv4_is_match,
);

/// `kql_ipv6_compare(ip1: Utf8, ip2: Utf8[, prefix: Int64]) -> Int64`.
pub fn ipv6_compare() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_ipv6_compare", PARAMS, DataType::Int64, |args| {
            let orderings = orderings(args, Family::V6)?;
            long_rows(args, |row| Ok(orderings[row].map(|o| o as i64)))
        })
    )
}

pub(crate) static IPV6_COMPARE: KustoFunction = KustoFunction::scalar(
    Signature::scalar("ipv6_compare", &[P::Str, P::Str, P::Integer], R::Fixed(T::Long)).optional_from(2),
    ipv6_compare,
);

/// `kql_ipv6_is_match(ip1: Utf8, ip2: Utf8[, prefix: Int64]) -> Boolean`.
pub fn ipv6_is_match() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_ipv6_is_match", PARAMS, DataType::Boolean, |args| {
            let orderings = orderings(args, Family::V6)?;
            bool_rows(args, |row| Ok(orderings[row].map(Ordering::is_eq)))
        })
    )
}

pub(crate) static IPV6_IS_MATCH: KustoFunction = KustoFunction::scalar(
    Signature::scalar("ipv6_is_match", &[P::Str, P::Str, P::Integer], R::Fixed(T::Bool)).optional_from(2),
    ipv6_is_match,
);

#[derive(Clone, Copy)]
enum Family {
    V4,
    V6,
}

/// The comparison of each row's two addresses; `None` when either is not an address. The docs give
/// the prefix argument as "an integer from 0 to" 32 (IPv4) or 128 (IPv6); any other is refused.
fn orderings(args: &Args, family: Family) -> Result<Vec<Option<Ordering>>> {
    let (left, right) = (args.str(0)?, args.str(1)?);
    let prefix = if args.has(2) { Some(args.long(2)?) } else { None };
    let bits = match family {
        Family::V4 => 32,
        Family::V6 => 128,
    };
    (0..args.rows())
        .map(|row| {
            let explicit = match prefix.as_ref().map(|column| column.get(row)) {
                None => None,
                Some(None) => return Ok(None),
                Some(Some(prefix)) => match u32::try_from(prefix).ok().filter(|p| *p <= bits) {
                    Some(prefix) => Some(prefix),
                    None => {
                        return exec_err!(
                            "not supported: {}() with prefix {prefix}: the docs define prefixes from 0 to {bits}",
                            args.name().trim_start_matches("kql_")
                        );
                    }
                },
            };
            Ok(compare(family, left.get(row), right.get(row), explicit))
        })
        .collect()
}

fn compare(family: Family, left: &str, right: &str, explicit: Option<u32>) -> Option<Ordering> {
    match family {
        Family::V4 => {
            let (a, b) = (parse_v4(left)?, parse_v4(right)?);
            let prefix = a.prefix.min(b.prefix).min(explicit.unwrap_or(32));
            Some(mask_v4(a.address, prefix).cmp(&mask_v4(b.address, prefix)))
        }
        Family::V6 => {
            let (a, b) = (parse_v6(left)?, parse_v6(right)?);
            let prefix = a.prefix.min(b.prefix).min(explicit.unwrap_or(128));
            Some(mask_v6(a.address, prefix).cmp(&mask_v6(b.address, prefix)))
        }
    }
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // ipv4_compare docs: ("192.168.1.1", "192.168.1.255") -1; ("192.168.1.1/24", "192.168.1.255/24") 0;
        // ("192.168.1.1", "192.168.1.255", 24) 0.
        assert_eq!(
            call_scalars(&ipv4_compare(), vec![s("192.168.1.1"), s("192.168.1.255")]),
            long(-1)
        );
        assert_eq!(
            call_scalars(&ipv4_compare(), vec![s("192.168.1.1/24"), s("192.168.1.255/24")]),
            long(0)
        );
        assert_eq!(
            call_scalars(
                &ipv4_compare(),
                vec![s("192.168.1.1"), s("192.168.1.255"), long(24)]
            ),
            long(0)
        );
        assert_eq!(
            call_scalars(&ipv4_compare(), vec![s("x"), s("1.2.3.4")]),
            ScalarValue::Int64(None)
        );
        let t = ScalarValue::Boolean(Some(true));
        assert_eq!(
            call_scalars(&ipv4_is_match(), vec![s("192.168.1.1/24"), s("192.168.1.255")]),
            t
        );
        // Emulator cases ipv6-compare-function-00/01.
        let args = vec![s("fe80::85d:e82c:9446:7994/120"), s("fe80::85d:e82c:9446:7998")];
        assert_eq!(call_scalars(&ipv6_compare(), args), long(0));
        let args = vec![s("192.168.1.1/24"), s("::ffff:c0a8:01ff"), long(127)];
        assert_eq!(call_scalars(&ipv6_compare(), args), long(0));
        let args = vec![
            s("fe80::85d:e82c:9446:7994"),
            s("fe80::85d:e82c:9446:7995"),
            long(127),
        ];
        assert_eq!(call_scalars(&ipv6_is_match(), args), t);
    }

    #[test]
    fn prefixes_outside_the_documented_range_are_refused() {
        use datafusion::logical_expr::ColumnarValue;

        use crate::string::kernel::testing::call;

        let with_prefix = |prefix: i64| {
            [s("::1"), s("::2"), long(prefix)]
                .map(ColumnarValue::Scalar)
                .to_vec()
        };
        assert!(call(&ipv6_is_match(), with_prefix(-1)).is_err());
        assert!(call(&ipv6_is_match(), with_prefix(129)).is_err());
        assert!(call(&ipv6_is_match(), with_prefix(128)).is_ok());
        let v4 = [s("1.2.3.4"), s("1.2.3.5"), long(33)].map(ColumnarValue::Scalar);
        assert!(call(&ipv4_is_match(), v4.to_vec()).is_err());
    }
}
