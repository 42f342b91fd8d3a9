//! Shared body of `unixtime_{seconds,milliseconds,microseconds,nanoseconds}_todatetime`: a count of
//! units since 1970-01-01 as a datetime, truncated to Kusto's 100 ns tick. Longs convert exactly;
//! reals are rounded to the nearest tick. Values outside the datetime range give null.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type, TimestampNanosecondType};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;
use kql_types::time::NANOS_PER_TICK;

use super::calendar::DATETIME;
use crate::math::kernel::{KernelUdf, Numeric, check_arity, map_unary, numeric_arg};

pub(super) fn unixtime_udf(name: &'static str, nanos_per_unit: i64) -> Arc<ScalarUDF> {
    KernelUdf::new(
        name,
        move |types| {
            check_arity(name, types, 1, 1)?;
            Ok(vec![match numeric_arg(name, types, 0)? {
                Numeric::Real => DataType::Float64,
                Numeric::Int | Numeric::Long => DataType::Int64,
            }])
        },
        |_| Ok(DATETIME),
        move |args| convert(name, &args[0], nanos_per_unit),
    )
    .into_udf()
}

fn convert(name: &str, values: &ArrayRef, nanos_per_unit: i64) -> Result<ArrayRef> {
    Ok(match values.data_type() {
        DataType::Int64 => Arc::new(map_unary::<Int64Type, TimestampNanosecondType>(
            values.as_primitive(),
            |units| {
                let nanos = units.checked_mul(nanos_per_unit)?;
                Some(nanos - nanos.rem_euclid(NANOS_PER_TICK))
            },
        )),
        DataType::Float64 => Arc::new(map_unary::<Float64Type, TimestampNanosecondType>(
            values.as_primitive(),
            |units| {
                let ticks = (units * (nanos_per_unit as f64 / NANOS_PER_TICK as f64)).round();
                let in_range = ticks.is_finite() && ticks.abs() < (i64::MAX / NANOS_PER_TICK) as f64;
                in_range.then(|| ticks as i64 * NANOS_PER_TICK)
            },
        )),
        other => return exec_err!("{name}(): unexpected argument type {other}"),
    })
}
