//! Shared body of `bin`, `floor` and `bin_at`: round a value down to a multiple of a bin size,
//! measured from an origin. `bin` measures datetimes from 0001-01-01 (Kusto's tick origin), so
//! `bin(dt, 7d)` weeks start on Mondays, and numbers and timespans from zero. A null, zero or negative
//! bin size gives null (Kusto docs: "a negative bin size will result in null").

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::datatypes::{
    DataType, DurationNanosecondType, Float64Type, Int64Type, TimestampNanosecondType,
};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::ScalarUDF;

use super::calendar::{DATETIME, NANOS_FROM_YEAR_ONE_TO_UNIX_EPOCH, TIMESPAN, floor_to_multiple};
use crate::math::kernel::{KernelUdf, Numeric, check_arity, map_binary, map_ternary};

/// `bin(value, roundTo)` under the given name (`kql_bin`, `kql_floor`).
pub(super) fn bin_udf(name: &'static str) -> Arc<ScalarUDF> {
    KernelUdf::new(
        name,
        move |types| coerce(name, types, 2),
        |types| Ok(types[0].clone()),
        move |args| bin(name, args),
    )
    .into_udf()
}

/// `bin_at(value, roundTo, fixed_point)`.
pub(super) fn bin_at_udf(name: &'static str) -> Arc<ScalarUDF> {
    KernelUdf::new(
        name,
        move |types| coerce(name, types, 3),
        |types| Ok(types[0].clone()),
        move |args| bin_at(name, args),
    )
    .into_udf()
}

/// Value, bin size and (for `bin_at`) fixed point: datetime/timespan/timespan[/datetime],
/// timespan/timespan[/timespan], or numbers (long when all are integers, real otherwise).
fn coerce(name: &str, types: &[DataType], count: usize) -> Result<Vec<DataType>> {
    check_arity(name, types, count, count)?;
    let wanted = match &types[0] {
        DataType::Timestamp(..) => [DATETIME, TIMESPAN, DATETIME],
        DataType::Duration(_) => [TIMESPAN, TIMESPAN, TIMESPAN],
        _ => {
            let kinds: Option<Vec<Numeric>> = types.iter().map(Numeric::of).collect();
            let Some(kinds) = kinds else {
                return plan_err!(
                    "{name}(): expected numbers, or a datetime or timespan binned by a timespan, got {types:?}"
                );
            };
            let common = if kinds.contains(&Numeric::Real) {
                DataType::Float64
            } else {
                DataType::Int64
            };
            return Ok(vec![common; count]);
        }
    };
    for (index, (actual, expected)) in types.iter().zip(&wanted).enumerate() {
        let compatible = actual.is_null()
            || matches!(
                (actual, expected),
                (DataType::Timestamp(..), DataType::Timestamp(..))
            )
            || matches!((actual, expected), (DataType::Duration(_), DataType::Duration(_)));
        if !compatible {
            return plan_err!(
                "{name}(): argument {} must be {expected}, got {actual}",
                index + 1
            );
        }
    }
    Ok(wanted[..count].to_vec())
}

/// `origin + floor((value - origin) / step) * step`, exactly, in 128-bit arithmetic.
fn bin_integer(value: i64, step: i64, origin: i128) -> Option<i64> {
    i64::try_from(floor_to_multiple(i128::from(value) - origin, i128::from(step))? + origin).ok()
}

fn bin_real(value: f64, step: f64, origin: f64) -> Option<f64> {
    (step > 0.0).then(|| origin + ((value - origin) / step).floor() * step)
}

fn bin(name: &str, args: &[ArrayRef]) -> Result<ArrayRef> {
    let (values, steps) = (&args[0], &args[1]);
    Ok(match values.data_type() {
        DataType::Int64 => Arc::new(map_binary::<Int64Type, Int64Type, Int64Type>(
            values.as_primitive(),
            steps.as_primitive(),
            |v, s| bin_integer(v, s, 0),
        )),
        DataType::Float64 => Arc::new(map_binary::<Float64Type, Float64Type, Float64Type>(
            values.as_primitive(),
            steps.as_primitive(),
            |v, s| bin_real(v, s, 0.0),
        )),
        DataType::Timestamp(..) => Arc::new(map_binary::<
            TimestampNanosecondType,
            DurationNanosecondType,
            TimestampNanosecondType,
        >(
            values.as_primitive(),
            steps.as_primitive(),
            |v, s| bin_integer(v, s, -NANOS_FROM_YEAR_ONE_TO_UNIX_EPOCH),
        )),
        DataType::Duration(_) => Arc::new(map_binary::<
            DurationNanosecondType,
            DurationNanosecondType,
            DurationNanosecondType,
        >(values.as_primitive(), steps.as_primitive(), |v, s| {
            bin_integer(v, s, 0)
        })),
        other => return exec_err!("{name}(): unexpected argument type {other}"),
    })
}

fn bin_at(name: &str, args: &[ArrayRef]) -> Result<ArrayRef> {
    let (values, steps, fixed) = (&args[0], &args[1], &args[2]);
    Ok(match values.data_type() {
        DataType::Int64 => Arc::new(map_ternary::<Int64Type, Int64Type, Int64Type, Int64Type>(
            values.as_primitive(),
            steps.as_primitive(),
            fixed.as_primitive(),
            |v, s, f| bin_integer(v, s, f.into()),
        )),
        DataType::Float64 => Arc::new(map_ternary::<Float64Type, Float64Type, Float64Type, Float64Type>(
            values.as_primitive(),
            steps.as_primitive(),
            fixed.as_primitive(),
            bin_real,
        )),
        DataType::Timestamp(..) => Arc::new(map_ternary::<
            TimestampNanosecondType,
            DurationNanosecondType,
            TimestampNanosecondType,
            TimestampNanosecondType,
        >(
            values.as_primitive(),
            steps.as_primitive(),
            fixed.as_primitive(),
            |v, s, f| bin_integer(v, s, f.into()),
        )),
        DataType::Duration(_) => Arc::new(map_ternary::<
            DurationNanosecondType,
            DurationNanosecondType,
            DurationNanosecondType,
            DurationNanosecondType,
        >(
            values.as_primitive(),
            steps.as_primitive(),
            fixed.as_primitive(),
            |v, s, f| bin_integer(v, s, f.into()),
        )),
        other => return exec_err!("{name}(): unexpected argument type {other}"),
    })
}
