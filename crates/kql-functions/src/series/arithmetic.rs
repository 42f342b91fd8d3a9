//! `series_add`, `series_subtract`, `series_multiply`, `series_divide`: element-wise arithmetic over two
//! series (or a series and a number). Two longs give a long; one outside the 64-bit range is refused,
//! as the docs do not say what Kusto answers (wrapping around would be a wrong number). Otherwise the
//! element is a real. `series_divide` always gives reals. A non-numeric or
//! missing element gives null (`series_add([1,2,4], [4,2,1])` is `[5,4,5]`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::elementwise::binary;
use super::{Num, real};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define};

const PARAMS: Params = Params::fixed(&[Param::Str, Param::Str]);

/// Combines two elements: longs with `long_op` (`None` on overflow), otherwise as reals with
/// `real_op`.
fn combine(
    name: &str,
    left: Num,
    right: Num,
    long_op: fn(i64, i64) -> Option<i64>,
    real_op: fn(f64, f64) -> f64,
) -> Result<Value> {
    match (left, right) {
        (Num::Long(l), Num::Long(r)) => match long_op(l, r) {
            Some(value) => Ok(Value::from(value)),
            None => exec_err!(
                "not supported yet: {name} of the longs {l} and {r}: the result is outside the 64-bit \
                 range, and the docs do not say what Kusto answers"
            ),
        },
        _ => real(name, real_op(left.as_f64(), right.as_f64())),
    }
}

/// `kql_series_add(series1: Utf8 (dynamic), series2: Utf8 (dynamic)) -> Utf8 (dynamic)`.
pub fn series_add() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_series_add", PARAMS, DataType::Utf8, |args| {
            binary(args, |l, r| {
                combine(args.name(), l, r, i64::checked_add, |l, r| l + r)
            })
        })
    )
}

pub(crate) static SERIES_ADD: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_add", &[P::Dynamic, P::Dynamic], R::Fixed(T::Dynamic)),
    series_add,
);

/// `kql_series_subtract(series1: Utf8 (dynamic), series2: Utf8 (dynamic)) -> Utf8 (dynamic)`.
pub fn series_subtract() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_series_subtract", PARAMS, DataType::Utf8, |args| {
            binary(args, |l, r| {
                combine(args.name(), l, r, i64::checked_sub, |l, r| l - r)
            })
        })
    )
}

pub(crate) static SERIES_SUBTRACT: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_subtract", &[P::Dynamic, P::Dynamic], R::Fixed(T::Dynamic)),
    series_subtract,
);

/// `kql_series_multiply(series1: Utf8 (dynamic), series2: Utf8 (dynamic)) -> Utf8 (dynamic)`.
pub fn series_multiply() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_series_multiply", PARAMS, DataType::Utf8, |args| {
            binary(args, |l, r| {
                combine(args.name(), l, r, i64::checked_mul, |l, r| l * r)
            })
        })
    )
}

pub(crate) static SERIES_MULTIPLY: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_multiply", &[P::Dynamic, P::Dynamic], R::Fixed(T::Dynamic)),
    series_multiply,
);

/// `kql_series_divide(series1: Utf8 (dynamic), series2: Utf8 (dynamic)) -> Utf8 (dynamic)`.
pub fn series_divide() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_series_divide", PARAMS, DataType::Utf8, |args| {
            binary(args, |l, r| real(args.name(), l.as_f64() / r.as_f64()))
        })
    )
}

pub(crate) static SERIES_DIVIDE: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_divide", &[P::Dynamic, P::Dynamic], R::Fixed(T::Dynamic)),
    series_divide,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::*;
    use crate::string::kernel::testing::{call, call_scalars, s};

    #[test]
    fn docs_examples() {
        // series_add and series_subtract docs: s1 = [1,2,4], s2 = [4,2,1].
        assert_eq!(
            call_scalars(&series_add(), vec![s("[1,2,4]"), s("[4,2,1]")]),
            s("[5,4,5]")
        );
        assert_eq!(
            call_scalars(&series_subtract(), vec![s("[1,2,4]"), s("[4,2,1]")]),
            s("[-3,0,3]")
        );
        assert_eq!(
            call_scalars(&series_multiply(), vec![s("[1,2,4]"), s("[4,2,1]")]),
            s("[4,4,4]")
        );
        // series_divide docs: [0.25, 1.0, 4.0].
        assert_eq!(
            call_scalars(&series_divide(), vec![s("[1,2,4]"), s("[4,2,1]")]),
            s("[0.25,1.0,4.0]")
        );
    }

    #[test]
    fn non_numeric_and_missing_elements_give_null() {
        // "Any non-numeric element or non-existing element (arrays of different sizes) yields a null".
        assert_eq!(
            call_scalars(&series_add(), vec![s(r#"[1,"a",null,2.5]"#), s("[1,1,1]")]),
            s("[2,null,null,null]")
        );
        assert_eq!(
            call_scalars(&series_add(), vec![s("[1,2]"), s("10")]),
            s("[11,12]")
        );
        assert_eq!(
            call_scalars(&series_add(), vec![s("1"), s("2")]),
            ScalarValue::Utf8(None)
        );
    }

    #[test]
    fn long_overflow_is_refused_not_wrapped() {
        for udf in [series_add(), series_subtract(), series_multiply()] {
            let scalars = vec![
                ColumnarValue::Scalar(s("[9223372036854775807, -9223372036854775808]")),
                ColumnarValue::Scalar(s("[9223372036854775807, 9223372036854775807]")),
            ];
            let error = call(&udf, scalars).unwrap_err().to_string();
            assert!(error.contains("outside the 64-bit range"), "{error}");
        }
    }

    #[test]
    fn division_by_zero_is_refused_not_nulled() {
        let scalars = vec![ColumnarValue::Scalar(s("[1]")), ColumnarValue::Scalar(s("[0]"))];
        assert!(call(&series_divide(), scalars).is_err());
    }
}
