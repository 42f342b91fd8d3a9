//! `make_datetime(year, month, day[, hour, minute[, second]])`: a datetime from its parts; `second` may
//! be fractional (kept to the 100 ns tick). Invalid dates give null.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, PrimitiveArray, TimestampNanosecondArray};
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type};
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::ScalarUDF;
use kql_types::time::datetime_from_parts;

use super::calendar::{DATETIME, integer_arg};
use crate::declare::*;
use crate::math::kernel::{KernelUdf, numeric_arg};

const NAME: &str = "kql_make_datetime";

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        KernelUdf::new(NAME, coerce, |_| Ok(DATETIME), kernel).into_udf()
    )
}

pub(crate) static MAKE_DATETIME: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "make_datetime",
        &[P::Integer, P::Integer, P::Integer, P::Integer, P::Integer, P::Num],
        R::Fixed(T::DateTime),
    )
    .optional_from(3),
    udf,
);

fn coerce(types: &[DataType]) -> Result<Vec<DataType>> {
    if ![3, 5, 6].contains(&types.len()) {
        return plan_err!(
            "{NAME}() expects 3, 5 or 6 arguments (year, month, day[, hour, minute[, second]])"
        );
    }
    (0..types.len())
        .map(|i| {
            if i == 5 {
                numeric_arg(NAME, types, i).map(|_| DataType::Float64)
            } else {
                integer_arg(NAME, types, i)
            }
        })
        .collect()
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    let integers: Vec<&PrimitiveArray<Int64Type>> = args.iter().take(5).map(|a| a.as_primitive()).collect();
    let seconds = args.get(5).map(|a| a.as_primitive::<Float64Type>());
    let rows = args[0].len();
    let out: TimestampNanosecondArray = (0..rows)
        .map(|row| {
            let mut parts = [0i64; 5];
            for (slot, array) in parts.iter_mut().zip(&integers) {
                *slot = array.is_valid(row).then(|| array.value(row))?;
            }
            let second = match seconds {
                Some(seconds) => seconds.is_valid(row).then(|| seconds.value(row))?,
                None => 0.0,
            };
            let [year, month, day, hour, minute] = parts;
            datetime_from_parts(year, month, day, hour, minute, second)
        })
        .collect();
    Ok(Arc::new(out))
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::super::calendar::testing::datetime;
    use super::super::kernel_testing::scalar;
    use super::*;

    fn make(parts: &[i64], second: Option<f64>) -> ScalarValue {
        let mut args: Vec<ScalarValue> = parts.iter().map(|&p| ScalarValue::Int64(Some(p))).collect();
        args.extend(second.map(|s| ScalarValue::Float64(Some(s))));
        scalar(&udf(), args)
    }

    #[test]
    fn examples_from_the_kusto_docs() {
        // print year_month_day = make_datetime(2017,10,01) -> 2017-10-01 00:00:00.0000000
        assert_eq!(make(&[2017, 10, 1], None), datetime("2017-10-01"));
        // print year_month_day_hour_minute = make_datetime(2017,10,01,12,10) -> 2017-10-01 12:10:00.0000000
        assert_eq!(make(&[2017, 10, 1, 12, 10], None), datetime("2017-10-01 12:10"));
        // print year_month_day_hour_minute_second = make_datetime(2017,10,01,12,11,0.1234567)
        // -> 2017-10-01 12:11:00.1234567
        assert_eq!(
            make(&[2017, 10, 1, 12, 11], Some(0.1234567)),
            datetime("2017-10-01 12:11:00.1234567")
        );
    }

    #[test]
    fn invalid_dates_give_null() {
        assert!(make(&[2017, 2, 30], None).is_null());
        assert!(make(&[2017, 1, 1, 24, 0], None).is_null());
        assert!(make(&[2017, 1, 1, 0, 0], Some(60.0)).is_null());
    }
}
