//! `range(start, stop [, step])`: a dynamic array of `start, start + step, ...` up to and including
//! `stop`, cut at 1,048,576 (2^20) values as the docs state. Numbers give longs, or reals when any
//! argument is a real (`range(1, 8, 3)` is `[1,4,7]`); datetimes and timespans take a timespan step
//! and default to 1h (`range(1h, 5h)` is `["01:00:00",...,"05:00:00"]`). A step that does not move
//! from `start` towards `stop` is refused: the docs do not say what it gives. Null arguments give null.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type, TimeUnit};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;
use kql_types::time::{format_datetime_fixed, format_timespan};
use serde_json::Value;

use crate::declare::*;
use crate::string::kernel::{Args, Param, Params, define, optional_string_rows};

/// The most values one call gives.
const MAX_VALUES: u64 = 1 << 20;
const HOUR_NANOS: i64 = 3_600_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Long,
    Real,
    DateTime,
    TimeSpan,
}

/// `kql_range(start: any, stop: any [, step: any]) -> Utf8 (dynamic)`.
pub fn range() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::optional(&[Param::Any, Param::Any], &[Param::Any]);
        define("kql_range", params, DataType::Utf8, |args| {
            let types: Vec<DataType> = (0..args.len())
                .map(|i| args.any(i).map(|a| a.data_type().clone()))
                .collect::<Result<_>>()?;
            let kind = match types[0] {
                DataType::Timestamp(TimeUnit::Nanosecond, _) => Kind::DateTime,
                DataType::Duration(TimeUnit::Nanosecond) => Kind::TimeSpan,
                _ if types.iter().all(|t| t.is_integer() || t == &DataType::Null) => Kind::Long,
                _ if types.iter().all(|t| t.is_numeric() || t == &DataType::Null) => Kind::Real,
                _ => return exec_err!("range: cannot make a range of {}", types[0]),
            };
            match kind {
                Kind::Real => real_range(args),
                _ => whole_range(args, kind),
            }
        })
    })
}

pub(crate) static RANGE: KustoFunction = KustoFunction::scalar(
    // start, stop, step: numbers, datetimes or timespans (the UDF checks which).
    Signature::scalar("range", &[P::Any, P::Any, P::Any], R::Fixed(T::Dynamic)).optional_from(2),
    range,
);

/// Argument `index` cast to `to`, or `None` when the call leaves it out.
fn argument(args: &Args, index: usize, to: &DataType) -> Result<Option<ArrayRef>> {
    if !args.has(index) {
        return Ok(None);
    }
    Ok(Some(cast(&args.any(index)?, to)?))
}

/// Refuses a step that does not move from `start` up to `stop`, and an empty range: the docs do
/// not say what they give.
fn check_direction<T: PartialOrd + std::fmt::Display>(start: T, stop: T, step: T, zero: T) -> Result<()> {
    if step > zero && start <= stop {
        return Ok(());
    }
    exec_err!("not supported yet: range from {start} to {stop} by step {step}")
}

fn real_range(args: &Args) -> Result<datafusion::logical_expr::ColumnarValue> {
    let columns: Vec<Option<ArrayRef>> = (0..3)
        .map(|i| argument(args, i, &DataType::Float64))
        .collect::<Result<_>>()?;
    let value = |index: usize, row: usize| -> Option<Option<f64>> {
        let array = columns[index].as_ref()?.as_primitive::<Float64Type>();
        Some(array.is_valid(row).then(|| array.value(row)))
    };
    optional_string_rows(args, |row| {
        let (Some(Some(start)), Some(Some(stop))) = (value(0, row), value(1, row)) else {
            return Ok(None);
        };
        let Some(step) = value(2, row).unwrap_or(Some(1.0)) else {
            return Ok(None);
        };
        check_direction(start, stop, step, 0.0)?;
        let count = (((stop - start) / step).floor() as u64)
            .saturating_add(1)
            .min(MAX_VALUES);
        let values = (0..count).map(|k| Value::from(start + k as f64 * step)).collect();
        Ok(Some(Value::Array(values).to_string()))
    })
}

/// Longs, datetimes and timespans, all counted in whole units (nanoseconds for time).
fn whole_range(args: &Args, kind: Kind) -> Result<datafusion::logical_expr::ColumnarValue> {
    let columns: Vec<Option<ArrayRef>> = (0..3)
        .map(|i| argument(args, i, &DataType::Int64))
        .collect::<Result<_>>()?;
    let value = |index: usize, row: usize| -> Option<Option<i64>> {
        let array = columns[index].as_ref()?.as_primitive::<Int64Type>();
        Some(array.is_valid(row).then(|| array.value(row)))
    };
    let default_step = if kind == Kind::Long { 1 } else { HOUR_NANOS };
    optional_string_rows(args, |row| {
        let (Some(Some(start)), Some(Some(stop))) = (value(0, row), value(1, row)) else {
            return Ok(None);
        };
        let Some(step) = value(2, row).unwrap_or(Some(default_step)) else {
            return Ok(None);
        };
        check_direction(start, stop, step, 0)?;
        // Whole units in i128, so nanosecond datetimes count exactly.
        let steps = (i128::from(stop) - i128::from(start)) / i128::from(step);
        let values = (0..=steps)
            .take(MAX_VALUES as usize)
            .map(|k| {
                let value = (i128::from(start) + k * i128::from(step)) as i64;
                match kind {
                    Kind::DateTime => Value::from(format_datetime_fixed(value)),
                    Kind::TimeSpan => Value::from(format_timespan(value)),
                    Kind::Long | Kind::Real => Value::from(value),
                }
            })
            .collect();
        Ok(Some(Value::Array(values).to_string()))
    })
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, real, s};

    #[test]
    fn docs_examples() {
        assert_eq!(
            call_scalars(&range(), vec![long(1), long(8), long(3)]),
            s("[1,4,7]")
        );
        assert_eq!(call_scalars(&range(), vec![long(1), long(3)]), s("[1,2,3]"));
        let hour = |h: i64| ScalarValue::DurationNanosecond(Some(h * HOUR_NANOS));
        assert_eq!(
            call_scalars(&range(), vec![hour(1), hour(5)]),
            s(r#"["01:00:00","02:00:00","03:00:00","04:00:00","05:00:00"]"#)
        );
        // 2007-01-01 to 2007-01-03 by 1d.
        let day = |d: i64| {
            ScalarValue::TimestampNanosecond(Some(1_167_609_600_000_000_000 + d * 24 * HOUR_NANOS), None)
        };
        assert_eq!(
            call_scalars(&range(), vec![day(0), day(2), hour(24)]),
            s(
                r#"["2007-01-01T00:00:00.0000000Z","2007-01-02T00:00:00.0000000Z","2007-01-03T00:00:00.0000000Z"]"#
            )
        );
        // The series_iir docs: range(1.0, 10, 1) gives reals.
        assert_eq!(
            call_scalars(&range(), vec![real(1.0), long(3), long(1)]),
            s("[1.0,2.0,3.0]")
        );
    }

    #[test]
    fn a_step_away_from_stop_is_refused() {
        let down = [long(5), long(1), long(1)].map(datafusion::logical_expr::ColumnarValue::Scalar);
        assert!(crate::string::kernel::testing::call(&range(), down.to_vec()).is_err());
    }

    #[test]
    fn the_array_is_cut_at_two_to_the_twentieth() {
        let all = call_scalars(&range(), vec![long(1), long(1_000_000_000)]);
        let ScalarValue::Utf8(Some(text)) = all else {
            panic!("{all:?}")
        };
        let values: Vec<i64> = serde_json::from_str(&text).unwrap();
        assert_eq!(values.len(), 1_048_576);
    }
}
