//! `format_ipv4(ip, prefix)` and `format_ipv4_mask(ip, prefix)`: an IPv4 address masked by its own
//! `/prefix` and `prefix` (default 32), as dotted text, with `/prefix` appended by the `_mask` form;
//! "" when the text is not an IPv4 address or `prefix` is outside 0..=32
//! (`format_ipv4_mask("192.168.1.1/24", 32)` is "192.168.1.0/24").

use std::net::Ipv4Addr;
use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};

use super::addr::{mask_v4, parse_v4};
use crate::declare::*;
use crate::string::kernel::{Args, Param, Params, define, string_rows};

const IP_AND_PREFIX: Params = Params::optional(&[Param::Str], &[Param::Long]);

/// `kql_format_ipv4(ip: Utf8, prefix: Int64) -> Utf8`.
pub fn format_ipv4() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_format_ipv4", IP_AND_PREFIX, DataType::Utf8, |args| {
            format_rows(args, false)
        })
    )
}

pub(crate) static FORMAT_IPV4: KustoFunction = KustoFunction::scalar(
    Signature::scalar("format_ipv4", &[P::Str, P::Integer], R::Fixed(T::String)).optional_from(1),
    format_ipv4,
);

/// `kql_format_ipv4_mask(ip: Utf8, prefix: Int64) -> Utf8`.
pub fn format_ipv4_mask() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_format_ipv4_mask", IP_AND_PREFIX, DataType::Utf8, |args| {
            format_rows(args, true)
        })
    )
}

pub(crate) static FORMAT_IPV4_MASK: KustoFunction = KustoFunction::scalar(
    Signature::scalar("format_ipv4_mask", &[P::Str, P::Integer], R::Fixed(T::String)).optional_from(1),
    format_ipv4_mask,
);

fn format_rows(args: &Args, with_prefix: bool) -> Result<ColumnarValue> {
    let ip = args.str(0)?;
    let prefix = args.has(1).then(|| args.long(1)).transpose()?;
    string_rows(args, |row, out| {
        let prefix = prefix.as_ref().map_or(Some(32), |column| column.get(row));
        let (Some(prefix), Some(ip)) = (prefix.filter(|p| (0..=32).contains(p)), parse_v4(ip.get(row)))
        else {
            return Ok(());
        };
        let prefix = ip.prefix.min(prefix as u32);
        out.push_str(&Ipv4Addr::from(mask_v4(ip.address, prefix)).to_string());
        if with_prefix {
            out.push_str(&format!("/{prefix}"));
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // Emulator cases format-ipv4-function-00 and format-ipv4-mask-function-00.
        let cases = [
            ("192.168.1.1", 24, "192.168.1.0", "192.168.1.0/24"),
            ("192.168.1.1", 32, "192.168.1.1", "192.168.1.1/32"),
            ("192.168.1.1/24", 32, "192.168.1.0", "192.168.1.0/24"),
            ("192.168.1.1/24", -1, "", ""),
        ];
        for (ip, prefix, plain, masked) in cases {
            assert_eq!(call_scalars(&format_ipv4(), vec![s(ip), long(prefix)]), s(plain));
            assert_eq!(
                call_scalars(&format_ipv4_mask(), vec![s(ip), long(prefix)]),
                s(masked)
            );
        }
        assert_eq!(call_scalars(&format_ipv4(), vec![s("10.1.2.3")]), s("10.1.2.3"));
        assert_eq!(call_scalars(&format_ipv4_mask(), vec![s("nope")]), s(""));
    }
}
