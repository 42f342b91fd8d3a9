//! `tostring(x)`: a value as Kusto prints it (`tostring(123)` is "123", a real as .NET prints it,
//! a datetime in ISO 8601 with seven fractional digits, a timespan as `[d.]hh:mm:ss[.fffffff]`); null gives "".
//! `kql_tostring_dynamic` does the same for dynamic text: a JSON string gives its content, other
//! values their JSON text.

use std::sync::Arc;

use datafusion::arrow::array::StringBuilder;
use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::render::for_each;
use crate::declare::*;
use crate::dynamic::json;
use crate::string::kernel::{Param, Params, define, string_rows};

/// `kql_tostring(x: any) -> Utf8`; `Utf8` input is a string and passes through.
pub fn tostring() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_tostring",
            Params::fixed(&[Param::Any]),
            DataType::Utf8,
            |args| {
                let mut out = StringBuilder::with_capacity(args.rows(), args.rows() * 8);
                for_each(&args.any(0)?, |v| {
                    out.append_value(v.map(|v| v.to_kusto_string()).unwrap_or_default());
                    Ok(())
                })?;
                args.finish(Arc::new(out.finish()))
            },
        )
    )
}

pub(crate) static TOSTRING: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("tostring", &[P::Any], R::Fixed(T::String)).named(N::FirstArgument),
    super::lower_conversion,
    super::CONVERSION_UDFS,
);

/// `kql_tostring_dynamic(d: Utf8 (dynamic)) -> Utf8`.
pub fn tostring_dynamic() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_tostring_dynamic",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let dynamic = args.str(0)?;
                string_rows(args, |row, out| {
                    if let Some(text) = dynamic.get_opt(row) {
                        out.push_str(&json::to_kusto_string(&json::parse(text)));
                    }
                    Ok(())
                })
            },
        )
    )
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // Emulator case tostring-function-00: tostring(123) == "123".
        assert_eq!(call_scalars(&tostring(), vec![long(123)]), s("123"));
        assert_eq!(
            call_scalars(&tostring(), vec![ScalarValue::Float64(Some(1.0))]),
            s("1")
        );
        assert_eq!(
            call_scalars(&tostring(), vec![ScalarValue::Float64(Some(0.1))]),
            s("0.1")
        );
        assert_eq!(
            call_scalars(&tostring(), vec![ScalarValue::Boolean(Some(true))]),
            s("true")
        );
        assert_eq!(call_scalars(&tostring(), vec![ScalarValue::Int64(None)]), s(""));
        // strrep(3s, ...) in emulator case strrep-function-00 shows 3s as "00:00:03".
        let three_seconds = ScalarValue::DurationNanosecond(Some(3_000_000_000));
        assert_eq!(call_scalars(&tostring(), vec![three_seconds]), s("00:00:03"));
        let datetime = ScalarValue::TimestampNanosecond(Some(1_577_836_800_000_000_000), None);
        assert_eq!(
            call_scalars(&tostring(), vec![datetime]),
            // Seven fractional digits always: the emulator's hash_md5(datetime(2020-01-01)) is the MD5
            // of this text.
            s("2020-01-01T00:00:00.0000000Z")
        );
    }

    #[test]
    fn dynamic_strings_lose_their_quotes() {
        assert_eq!(call_scalars(&tostring_dynamic(), vec![s("\"abc\"")]), s("abc"));
        assert_eq!(
            call_scalars(&tostring_dynamic(), vec![s(r#"{"a":1}"#)]),
            s(r#"{"a":1}"#)
        );
        assert_eq!(
            call_scalars(&tostring_dynamic(), vec![ScalarValue::Utf8(None)]),
            s("")
        );
    }
}
