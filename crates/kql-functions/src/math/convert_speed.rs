//! `convert_speed(value, from, to)`: speeds, through meters per second
//! (`convert_speed(1.2, 'MeterPerSecond', 'CentimeterPerHour')` is `432000.0`).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::unit_conversion::ToBase::{Per, Times};
use super::unit_conversion::{Unit, convert, converter};
use crate::declare::*;

const UNITS: &[Unit] = &[
    ("MeterPerSecond", Times(1.0)),
    ("KilometerPerSecond", Times(1e3)),
    ("CentimeterPerSecond", Times(1e-2)),
    ("MillimeterPerSecond", Times(1e-3)),
    ("MeterPerHour", Per(3600.0)),
    ("KilometerPerHour", Per(3.6)),
    ("CentimeterPerHour", Per(360_000.0)),
    ("MillimeterPerHour", Per(3_600_000.0)),
    ("FootPerSecond", Times(0.3048)),
    ("MilePerHour", Times(0.44704)),
];

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        converter("kql_convert_speed", |args| convert(args, UNITS))
    )
}

pub(crate) static CONVERT_SPEED: KustoFunction = KustoFunction::scalar(
    Signature::scalar("convert_speed", &[P::Num, P::Str, P::Str], R::Fixed(T::Real)),
    udf,
);
