//! `has_ipv4(source, ip)`, `has_ipv4_prefix(source, prefix)`, `has_any_ipv4(source, ip, ...)` and
//! `has_any_ipv4_prefix(source, prefix, ...)`: whether the text holds a properly delimited IPv4
//! address equal to (or starting with) one of the values. A prefix must be a whole address or end
//! with a dot (docs: `has_any_ipv4_prefix(..., '127.0')` is false). The `_dynamic` forms take their
//! values as dynamic text with arrays expanded, as `has_any` does (see `operators::value_list`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};

use super::addr::{ipv4_in_text, parse_v4};
use crate::declare::*;
use crate::operators::value_list::ValueList;
use crate::string::kernel::{Args, Param, Params, bool_rows, define};

const ONE: Params = Params::fixed(&[Param::Str, Param::Str]);
const MANY: Params = Params::variadic(&[Param::Str], Param::Str);

/// `kql_has_ipv4(source: Utf8, ip: Utf8) -> Boolean`.
pub fn has_ipv4() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_has_ipv4", ONE, DataType::Boolean, |args| {
            eval(args, false, false)
        })
    )
}

pub(crate) static HAS_IPV4: KustoFunction = KustoFunction::scalar(
    Signature::scalar("has_ipv4", &[P::Str, P::Str], R::Fixed(T::Bool)),
    has_ipv4,
);

/// `kql_has_ipv4_prefix(source: Utf8, prefix: Utf8) -> Boolean`.
pub fn has_ipv4_prefix() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_has_ipv4_prefix", ONE, DataType::Boolean, |args| {
            eval(args, true, false)
        })
    )
}

pub(crate) static HAS_IPV4_PREFIX: KustoFunction = KustoFunction::scalar(
    Signature::scalar("has_ipv4_prefix", &[P::Str, P::Str], R::Fixed(T::Bool)),
    has_ipv4_prefix,
);

/// `kql_has_any_ipv4(source: Utf8, ip: Utf8, ...) -> Boolean`.
pub fn has_any_ipv4() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_has_any_ipv4", MANY, DataType::Boolean, |args| {
            eval(args, false, false)
        })
    )
}

pub(crate) static HAS_ANY_IPV4: KustoFunction = KustoFunction::scalar_with_dynamic(
    // The values may be strings or dynamic arrays of strings.
    Signature::scalar("has_any_ipv4", &[P::Str, P::Any], R::Fixed(T::Bool)).variadic(),
    has_any_ipv4,
    has_any_ipv4_dynamic,
);

/// `kql_has_any_ipv4_dynamic(source: Utf8, ips: Utf8 (dynamic), ...) -> Boolean`.
pub fn has_any_ipv4_dynamic() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_has_any_ipv4_dynamic", MANY, DataType::Boolean, |args| {
            eval(args, false, true)
        })
    )
}

/// `kql_has_any_ipv4_prefix(source: Utf8, prefix: Utf8, ...) -> Boolean`.
pub fn has_any_ipv4_prefix() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_has_any_ipv4_prefix", MANY, DataType::Boolean, |args| {
            eval(args, true, false)
        })
    )
}

pub(crate) static HAS_ANY_IPV4_PREFIX: KustoFunction = KustoFunction::scalar_with_dynamic(
    Signature::scalar("has_any_ipv4_prefix", &[P::Str, P::Any], R::Fixed(T::Bool)).variadic(),
    has_any_ipv4_prefix,
    has_any_ipv4_prefix_dynamic,
);

/// `kql_has_any_ipv4_prefix_dynamic(source: Utf8, prefixes: Utf8 (dynamic), ...) -> Boolean`.
pub fn has_any_ipv4_prefix_dynamic() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_has_any_ipv4_prefix_dynamic",
            MANY,
            DataType::Boolean,
            |args| eval(args, true, true),
        )
    )
}

fn eval(args: &Args, prefix: bool, dynamic: bool) -> Result<ColumnarValue> {
    let source = args.str(0)?;
    let values = ValueList::new(args, 1, dynamic)?;
    let valid = |values: Vec<String>| -> Vec<String> {
        values
            .into_iter()
            .filter(|v| {
                if prefix {
                    is_prefix(v)
                } else {
                    parse_v4(v).is_some()
                }
            })
            .collect()
    };
    let constant = values.constant().map(valid);
    bool_rows(args, |row| {
        let per_row;
        let wanted = match &constant {
            Some(wanted) => wanted,
            None => {
                per_row = valid(values.at(row));
                &per_row
            }
        };
        // A prefix ending with a dot is whole leading numbers of an address; any other value is a
        // complete address, found only as itself ("127.0.0.1" is no prefix of "127.0.0.10").
        let found = ipv4_in_text(source.get(row)).any(|ip| {
            wanted.iter().any(|w| {
                if prefix && w.ends_with('.') {
                    ip.starts_with(w.as_str())
                } else {
                    ip == w
                }
            })
        });
        Ok(Some(found))
    })
}

fn is_prefix(text: &str) -> bool {
    match text.strip_suffix('.') {
        Some(octets) => {
            let parts: Vec<&str> = octets.split('.').collect();
            parts.len() <= 3 && parts.iter().all(|p| p.parse::<u8>().is_ok())
        }
        None => parse_v4(text).is_some_and(|v| v.prefix == 32 && !text.contains('/')),
    }
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    const T: ScalarValue = ScalarValue::Boolean(Some(true));
    const F: ScalarValue = ScalarValue::Boolean(Some(false));

    #[test]
    fn docs_examples() {
        let log = "05:04:54 127.0.0.1 GET /favicon.ico 404";
        // Emulator cases has-any-ipv4-function-00..03 and has-any-ipv4-prefix-function-00..03.
        assert_eq!(
            call_scalars(&has_any_ipv4(), vec![s(log), s("127.0.0.1"), s("127.0.0.2")]),
            T
        );
        assert_eq!(
            call_scalars(
                &has_any_ipv4_dynamic(),
                vec![s(log), s(r#"["127.0.0.1","127.0.0.2"]"#)]
            ),
            T
        );
        let bad = "05:04:54 127.0.0.256 GET /favicon.ico 404";
        let list = s(r#"["127.0.0.256","192.168.1.1"]"#);
        assert_eq!(call_scalars(&has_any_ipv4_dynamic(), vec![s(bad), list]), F);
        let glued = "05:04:54127.0.0.1 GET /favicon.ico 404";
        assert_eq!(
            call_scalars(&has_any_ipv4(), vec![s(glued), s("127.0.0.1"), s("192.168.1.1")]),
            F
        );
        assert_eq!(
            call_scalars(&has_any_ipv4_prefix(), vec![s(log), s("127.0."), s("192.168.")]),
            T
        );
        let list = s(r#"["127.0.","192.168."]"#);
        assert_eq!(
            call_scalars(&has_any_ipv4_prefix_dynamic(), vec![s(log), list]),
            T
        );
        assert_eq!(call_scalars(&has_any_ipv4_prefix(), vec![s(log), s("127.0")]), F);
        assert_eq!(
            call_scalars(&has_any_ipv4_prefix(), vec![s(glued), s("127.0."), s("192.")]),
            F
        );
        // has_ipv4 docs: has_ipv4('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0.0.1') true.
        assert_eq!(call_scalars(&has_ipv4(), vec![s(log), s("127.0.0.1")]), T);
        assert_eq!(call_scalars(&has_ipv4_prefix(), vec![s(log), s("127.0.")]), T);
    }
}
