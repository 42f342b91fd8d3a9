//! `ipv4_is_in_any_range(ip, range, ...)`: whether the address lies in any of the ranges, each an
//! address or a CIDR block, given as strings or arrays of strings
//! (`ipv4_is_in_any_range('192.168.1.6', '192.168.1.1/24', '10.0.0.1/8')` is true). Null when `ip`
//! is not an IPv4 address; unparsable ranges match nothing. The ranges arrive as dynamic text.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::addr::parse_v4;
use super::ipv4_range::within;
use crate::declare::*;
use crate::operators::value_list::ValueList;
use crate::string::kernel::{Param, Params, bool_rows, define};

/// `kql_ipv4_is_in_any_range(ip: Utf8, range: Utf8 (dynamic), ...) -> Boolean`.
pub fn ipv4_is_in_any_range() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::variadic(&[Param::Str, Param::Str], Param::Str);
        define("kql_ipv4_is_in_any_range", params, DataType::Boolean, |args| {
            let ips = args.str(0)?;
            let ranges = ValueList::new(args, 1, true)?;
            let parse_all = |texts: Vec<String>| texts.iter().filter_map(|t| parse_v4(t)).collect::<Vec<_>>();
            let constant = ranges.constant().map(parse_all);
            bool_rows(args, |row| {
                let Some(ip) = parse_v4(ips.get(row)) else {
                    return Ok(None);
                };
                let per_row;
                let nets = match &constant {
                    Some(nets) => nets,
                    None => {
                        per_row = parse_all(ranges.at(row));
                        &per_row
                    }
                };
                Ok(Some(nets.iter().any(|&net| within(ip, net))))
            })
        })
    })
}

pub(crate) static IPV4_IS_IN_ANY_RANGE: KustoFunction = KustoFunction::scalar(
    // The ranges may be strings or dynamic arrays of strings.
    Signature::scalar("ipv4_is_in_any_range", &[P::Str, P::Dynamic], R::Fixed(T::Bool)).variadic(),
    ipv4_is_in_any_range,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    const T: ScalarValue = ScalarValue::Boolean(Some(true));
    const F: ScalarValue = ScalarValue::Boolean(Some(false));

    #[test]
    fn docs_examples() {
        // Emulator cases ipv4-is-in-any-range-function-00..02 (ranges as dynamic text).
        let udf = ipv4_is_in_any_range();
        let ranges = [r#""192.168.1.1/24""#, r#""10.0.0.1/8""#, r#""127.1.0.1/16""#];
        let mut args = vec![s("192.168.1.6")];
        args.extend(ranges.iter().map(|r| s(r)));
        assert_eq!(call_scalars(&udf, args), T);
        assert_eq!(
            call_scalars(&udf, vec![s("127.0.0.1"), s(r#"["127.0.0.1","192.168.1.1"]"#)]),
            T
        );
        let local = s(r#"["192.168.1.1/16","127.0.0.1/8","10.0.0.1/8"]"#);
        assert_eq!(call_scalars(&udf, vec![s("10.1.2.3"), local.clone()]), T);
        assert_eq!(call_scalars(&udf, vec![s("123.1.11.21"), local.clone()]), F);
        assert_eq!(
            call_scalars(&udf, vec![s("not an ip"), local]),
            ScalarValue::Boolean(None)
        );
    }
}
