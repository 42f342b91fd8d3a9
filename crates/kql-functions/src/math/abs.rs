//! `abs(x)`: absolute value of an int, long, real or timespan. Kusto widens `int` to `long`.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, DurationNanosecondType, Float64Type, Int64Type, TimeUnit};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{KernelUdf, Numeric, check_arity, map_unary};
use crate::declare::*;

const NAME: &str = "kql_abs";

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        KernelUdf::new(NAME, coerce, |types| Ok(types[0].clone()), kernel).into_udf()
    )
}

pub(crate) static ABS: KustoFunction = KustoFunction::scalar(
    Signature::scalar("abs", &[P::Num], R::Promoted).named(N::FirstArgument),
    udf,
);

fn coerce(types: &[DataType]) -> Result<Vec<DataType>> {
    check_arity(NAME, types, 1, 1)?;
    let target = match (&types[0], Numeric::of(&types[0])) {
        (DataType::Duration(_), _) => DataType::Duration(TimeUnit::Nanosecond),
        (_, Some(Numeric::Int | Numeric::Long)) => DataType::Int64,
        (_, Some(Numeric::Real)) => DataType::Float64,
        (other, None) => return plan_err!("{NAME}(): expected a number or timespan, got {other}"),
    };
    Ok(vec![target])
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    let values = &args[0];
    Ok(match values.data_type() {
        // |long.MinValue| does not fit a long: null rather than a wrapped negative.
        DataType::Int64 => Arc::new(map_unary::<Int64Type, Int64Type>(
            values.as_primitive(),
            i64::checked_abs,
        )),
        DataType::Float64 => Arc::new(map_unary::<Float64Type, Float64Type>(
            values.as_primitive(),
            |v| Some(v.abs()),
        )),
        DataType::Duration(TimeUnit::Nanosecond) => {
            Arc::new(map_unary::<DurationNanosecondType, DurationNanosecondType>(
                values.as_primitive(),
                i64::checked_abs,
            ))
        }
        other => return exec_err!("{NAME}(): unexpected argument type {other}"),
    })
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::Int64Array;
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::super::kernel::testing;
    use super::*;

    #[test]
    fn absolute_values_of_numbers_and_timespans() {
        let abs = udf();
        assert_eq!(
            testing::scalar(&abs, vec![ScalarValue::Int64(Some(-5))]),
            ScalarValue::Int64(Some(5))
        );
        assert_eq!(
            testing::scalar(&abs, vec![ScalarValue::Float64(Some(-2.5))]),
            ScalarValue::Float64(Some(2.5))
        );
        let minus_hour = ScalarValue::DurationNanosecond(Some(-3_600_000_000_000));
        assert_eq!(
            testing::scalar(&abs, vec![minus_hour]),
            ScalarValue::DurationNanosecond(Some(3_600_000_000_000))
        );
        assert_eq!(
            testing::scalar(&abs, vec![ScalarValue::Int64(None)]),
            ScalarValue::Int64(None)
        );
    }

    #[test]
    fn int_widens_to_long_and_arrays_keep_nulls() {
        assert_eq!(
            udf().coerce_types(&[DataType::Int32]).unwrap(),
            vec![DataType::Int64]
        );
        let input: ArrayRef = Arc::new(Int64Array::from(vec![Some(-1), None, Some(i64::MIN)]));
        let out = testing::array(&udf(), vec![ColumnarValue::Array(input)]);
        assert_eq!(
            out.as_primitive::<Int64Type>(),
            &Int64Array::from(vec![Some(1), None, None])
        );
    }
}
