//! `kql_to_dynamic(x)`: any scalar as dynamic JSON text, by its Arrow type (`Utf8` is a string, so
//! "abc" becomes `"abc"`; datetimes become 7-digit ISO strings; null stays null). The planner wraps
//! non-dynamic arguments of `pack_array`, `bag_pack` and the `_dynamic` list forms with it.

use std::sync::Arc;

use datafusion::arrow::array::StringBuilder;
use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use crate::conversion::render::for_each;
use crate::string::kernel::{Param, Params, define};

/// `kql_to_dynamic(x: any) -> Utf8 (dynamic)`.
pub fn to_dynamic() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_to_dynamic",
            Params::fixed(&[Param::Any]),
            DataType::Utf8,
            |args| {
                let mut out = StringBuilder::with_capacity(args.rows(), args.rows() * 8);
                for_each(&args.any(0)?, |v| {
                    out.append_option(v.map(|v| v.to_json().to_string()));
                    Ok(())
                })?;
                args.finish(Arc::new(out.finish()))
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
    fn values_become_json_by_type() {
        assert_eq!(call_scalars(&to_dynamic(), vec![s("abc")]), s("\"abc\""));
        assert_eq!(call_scalars(&to_dynamic(), vec![long(5)]), s("5"));
        assert_eq!(
            call_scalars(&to_dynamic(), vec![ScalarValue::Boolean(Some(true))]),
            s("true")
        );
        // array-iff docs example shows datetime("01-01-2022") inside dynamic as "2022-01-01T00:00:00.0000000Z".
        let datetime = ScalarValue::TimestampNanosecond(Some(1_640_995_200_000_000_000), None);
        assert_eq!(
            call_scalars(&to_dynamic(), vec![datetime]),
            s("\"2022-01-01T00:00:00.0000000Z\"")
        );
        assert_eq!(
            call_scalars(&to_dynamic(), vec![ScalarValue::Int64(None)]),
            ScalarValue::Utf8(None)
        );
    }
}
