//! `round(x[, digits])`: rounds to `digits` decimal places (negative digits round left of the point).
//! Midpoints round away from zero (`round(2.5)` is 3). Unverified: no Kusto doc example tells this from
//! banker's rounding.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Float64Type, Int32Type, Int64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{KernelUdf, Numeric, check_arity, integers_as_i64, map_binary, numeric_arg};
use crate::declare::*;

const NAME: &str = "kql_round";

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        KernelUdf::new(NAME, coerce, |types| Ok(types[0].clone()), kernel).into_udf()
    )
}

pub(crate) static ROUND: KustoFunction = KustoFunction::scalar(
    Signature::scalar("round", &[P::Num, P::Integer], R::ArgType(0))
        .optional_from(1)
        .named(N::FirstArgument),
    udf,
);

fn coerce(types: &[DataType]) -> Result<Vec<DataType>> {
    check_arity(NAME, types, 1, 2)?;
    let mut coerced = vec![numeric_arg(NAME, types, 0)?.arrow_type()];
    if types.len() == 2 {
        if numeric_arg(NAME, types, 1)? == Numeric::Real {
            return datafusion::common::plan_err!("{NAME}(): digits must be int or long");
        }
        coerced.push(DataType::Int64);
    }
    Ok(coerced)
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    let values = &args[0];
    let digits = match args.get(1) {
        Some(digits) => integers_as_i64(digits)?,
        None => std::iter::repeat_n(Some(0i64), values.len()).collect(),
    };
    Ok(match values.data_type() {
        DataType::Float64 => Arc::new(map_binary::<Float64Type, Int64Type, Float64Type>(
            values.as_primitive(),
            &digits,
            round_real,
        )),
        DataType::Int64 => Arc::new(map_binary::<Int64Type, Int64Type, Int64Type>(
            values.as_primitive(),
            &digits,
            round_integer,
        )),
        DataType::Int32 => Arc::new(map_binary::<Int32Type, Int64Type, Int32Type>(
            values.as_primitive(),
            &digits,
            |value, digits| round_integer(value.into(), digits).and_then(|r| i32::try_from(r).ok()),
        )),
        other => return exec_err!("{NAME}(): unexpected argument type {other}"),
    })
}

fn round_real(value: f64, digits: i64) -> Option<f64> {
    let digits = i32::try_from(digits.clamp(-308, 308)).ok()?;
    let scale = 10f64.powi(digits.abs());
    // Scale, round half away from zero (f64::round), scale back: round(2.15, 1) is 2.2 per the docs.
    Some(if digits >= 0 {
        (value * scale).round() / scale
    } else {
        (value / scale).round() * scale
    })
}

fn round_integer(value: i64, digits: i64) -> Option<i64> {
    if digits >= 0 {
        return Some(value);
    }
    let step = 10i128.checked_pow(u32::try_from(-digits).ok()?)?;
    let value = i128::from(value);
    let half_up = (value.abs() + step / 2) / step * step;
    i64::try_from(if value < 0 { -half_up } else { half_up }).ok()
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::Float64Array;
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::super::kernel::testing;
    use super::*;

    fn round(value: f64, digits: Option<i64>) -> f64 {
        let mut args = vec![ScalarValue::Float64(Some(value))];
        args.extend(digits.map(|d| ScalarValue::Int64(Some(d))));
        match testing::scalar(&udf(), args) {
            ScalarValue::Float64(Some(v)) => v,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn examples_from_the_kusto_docs() {
        // round(2.98765, 3) // 2.988; round(2.15, 1) // 2.2; round(2.15) // 2;
        // round(-50.55, -2) // -100; round(21.5, -1) // 20
        assert_eq!(round(2.98765, Some(3)), 2.988);
        assert_eq!(round(2.15, Some(1)), 2.2);
        assert_eq!(round(2.15, None), 2.0);
        assert_eq!(round(-50.55, Some(-2)), -100.0);
        assert_eq!(round(21.5, Some(-1)), 20.0);
    }

    #[test]
    fn integers_keep_their_type_and_round_left_of_the_point() {
        let rounded = testing::scalar(
            &udf(),
            vec![ScalarValue::Int64(Some(-1250)), ScalarValue::Int64(Some(-2))],
        );
        assert_eq!(rounded, ScalarValue::Int64(Some(-1300)));
        let rounded = testing::scalar(
            &udf(),
            vec![ScalarValue::Int32(Some(7)), ScalarValue::Int64(Some(1))],
        );
        assert_eq!(rounded, ScalarValue::Int32(Some(7)));
    }

    #[test]
    fn arrays_with_a_scalar_digit_count_and_nulls() {
        let values: ArrayRef = Arc::new(Float64Array::from(vec![Some(1.25), None, Some(-1.35)]));
        let args = vec![
            ColumnarValue::Array(values),
            ColumnarValue::Scalar(ScalarValue::Int64(Some(1))),
        ];
        let out = testing::array(&udf(), args);
        assert_eq!(
            out.as_primitive::<Float64Type>(),
            &Float64Array::from(vec![Some(1.3), None, Some(-1.4)])
        );
        assert_eq!(round(1.0, None), 1.0);
    }
}
