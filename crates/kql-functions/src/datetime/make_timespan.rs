//! `make_timespan(hour, minute)`, `make_timespan(hour, minute, second)`,
//! `make_timespan(day, hour, minute, second)`: a timespan from its parts; `second` may be fractional
//! (kept to the 100 ns tick).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, DurationNanosecondArray, PrimitiveArray};
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type};
use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;
use kql_types::time::{NANOS_PER_DAY, NANOS_PER_HOUR, NANOS_PER_MINUTE, NANOS_PER_SECOND, NANOS_PER_TICK};

use super::calendar::{TIMESPAN, integer_arg};
use crate::declare::*;
use crate::math::kernel::{KernelUdf, check_arity, numeric_arg};

const NAME: &str = "kql_make_timespan";

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        KernelUdf::new(NAME, coerce, |_| Ok(TIMESPAN), kernel).into_udf()
    )
}

pub(crate) static MAKE_TIMESPAN: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "make_timespan",
        &[P::Integer, P::Integer, P::Integer, P::Num],
        R::Fixed(T::TimeSpan),
    )
    .optional_from(2),
    udf,
);

/// The whole-number parts come first; with three or four arguments the last is the (real) seconds.
fn coerce(types: &[DataType]) -> Result<Vec<DataType>> {
    check_arity(NAME, types, 2, 4)?;
    let has_seconds = types.len() > 2;
    (0..types.len())
        .map(|i| {
            if has_seconds && i == types.len() - 1 {
                numeric_arg(NAME, types, i).map(|_| DataType::Float64)
            } else {
                integer_arg(NAME, types, i)
            }
        })
        .collect()
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    let (whole, seconds) = match args.len() {
        2 => (args, None),
        n => (&args[..n - 1], Some(args[n - 1].as_primitive::<Float64Type>())),
    };
    let whole: Vec<&PrimitiveArray<Int64Type>> = whole.iter().map(|a| a.as_primitive()).collect();
    // Units of the whole-number parts, aligned to the right: [..., day, hour, minute].
    let units = &[NANOS_PER_DAY, NANOS_PER_HOUR, NANOS_PER_MINUTE][3 - whole.len()..];
    let out: DurationNanosecondArray = (0..args[0].len())
        .map(|row| {
            let mut total = 0i64;
            for (array, unit) in whole.iter().zip(units) {
                let part = array.is_valid(row).then(|| array.value(row))?;
                total = total.checked_add(part.checked_mul(*unit)?)?;
            }
            if let Some(seconds) = seconds {
                let second = seconds.is_valid(row).then(|| seconds.value(row))?;
                let ticks = (second * (NANOS_PER_SECOND / NANOS_PER_TICK) as f64).round();
                total = total.checked_add((ticks as i64).checked_mul(NANOS_PER_TICK)?)?;
            }
            Some(total)
        })
        .collect();
    Ok(Arc::new(out))
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::super::calendar::testing::timespan;
    use super::super::kernel_testing::scalar;
    use super::*;

    #[test]
    fn examples_from_the_kusto_docs() {
        // print ['timespan'] = make_timespan(1,12,30,55.123) -> 1.12:30:55.1230000
        let args = vec![
            ScalarValue::Int64(Some(1)),
            ScalarValue::Int64(Some(12)),
            ScalarValue::Int64(Some(30)),
            ScalarValue::Float64(Some(55.123)),
        ];
        assert_eq!(scalar(&udf(), args), timespan("1.12:30:55.123"));
        let hour_minute = scalar(
            &udf(),
            vec![ScalarValue::Int64(Some(2)), ScalarValue::Int64(Some(5))],
        );
        assert_eq!(hour_minute, timespan("02:05:00"));
        assert!(
            scalar(
                &udf(),
                vec![ScalarValue::Int64(None), ScalarValue::Int64(Some(5))]
            )
            .is_null()
        );
    }
}
