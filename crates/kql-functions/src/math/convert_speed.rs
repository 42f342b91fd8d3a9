//! `convert_speed(value, from, to)`: speeds, through meters per second
//! (`convert_speed(1.2, 'MeterPerSecond', 'CentimeterPerHour')` is `432000.0`).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::unit_conversion::{Unit, convert, converter, revised, unit};
use crate::declare::*;

/// The units the page lists, in its order, with UnitsNet's conversions to and from the base unit.
#[rustfmt::skip]
const UNITS: &[Unit] = &[
    unit("CentimeterPerHour", |x| (x / 3600.0) * 0.01, |x| (x * 3600.0) / 0.01),
    unit("CentimeterPerMinute", |x| (x / 60.0) * 0.01, |x| (x * 60.0) / 0.01),
    unit("CentimeterPerSecond", |x| x * 0.01, |x| x / 0.01),
    unit("DecimeterPerMinute", |x| (x / 60.0) * 0.1, |x| (x * 60.0) / 0.1),
    unit("DecimeterPerSecond", |x| x * 0.1, |x| x / 0.1),
    unit("FootPerHour", |x| x * 0.3048 / 3600.0, |x| x / 0.3048 * 3600.0),
    unit("FootPerMinute", |x| x * 0.3048 / 60.0, |x| x / 0.3048 * 60.0),
    unit("FootPerSecond", |x| x * 0.3048, |x| x / 0.3048),
    unit("InchPerHour", |x| (x / 3600.0) * 0.0254, |x| (x / 0.0254) * 3600.0),
    unit("InchPerMinute", |x| (x / 60.0) * 0.0254, |x| (x / 0.0254) * 60.0),
    unit("InchPerSecond", |x| x * 0.0254, |x| x / 0.0254),
    unit("KilometerPerHour", |x| (x / 3600.0) * 1000.0, |x| (x * 3600.0) / 1000.0),
    unit("KilometerPerMinute", |x| (x / 60.0) * 1000.0, |x| (x * 60.0) / 1000.0),
    unit("KilometerPerSecond", |x| x * 1000.0, |x| x / 1000.0),
    revised("Knot"),
    unit("MeterPerHour", |x| x / 3600.0, |x| x * 3600.0),
    unit("MeterPerMinute", |x| x / 60.0, |x| x * 60.0),
    unit("MeterPerSecond", |x| x, |x| x),
    unit("MicrometerPerMinute", |x| (x / 60.0) * 1e-06, |x| (x * 60.0) / 1e-06),
    unit("MicrometerPerSecond", |x| x * 1e-06, |x| x / 1e-06),
    unit("MilePerHour", |x| x * 0.44704, |x| x / 0.44704),
    unit("MillimeterPerHour", |x| (x / 3600.0) * 0.001, |x| (x * 3600.0) / 0.001),
    unit("MillimeterPerMinute", |x| (x / 60.0) * 0.001, |x| (x * 60.0) / 0.001),
    unit("MillimeterPerSecond", |x| x * 0.001, |x| x / 0.001),
    unit("NanometerPerMinute", |x| (x / 60.0) * 1e-09, |x| (x * 60.0) / 1e-09),
    unit("NanometerPerSecond", |x| x * 1e-09, |x| x / 1e-09),
    unit("UsSurveyFootPerHour", |x| (x * 1200.0 / 3937.0) / 3600.0, |x| (x * 3937.0 / 1200.0) * 3600.0),
    unit("UsSurveyFootPerMinute", |x| (x * 1200.0 / 3937.0) / 60.0, |x| (x * 3937.0 / 1200.0) * 60.0),
    unit("UsSurveyFootPerSecond", |x| x * 1200.0 / 3937.0, |x| x * 3937.0 / 1200.0),
    unit("YardPerHour", |x| x * 0.9144 / 3600.0, |x| x / 0.9144 * 3600.0),
    unit("YardPerMinute", |x| x * 0.9144 / 60.0, |x| x / 0.9144 * 60.0),
    unit("YardPerSecond", |x| x * 0.9144, |x| x / 0.9144),
];

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        converter("kql_convert_speed", |args| convert(args, UNITS))
    )
}

pub(crate) static CONVERT_SPEED: KustoFunction = KustoFunction::scalar(
    // value, from unit, to unit.
    Signature::scalar("convert_speed", &[P::Num, P::Str, P::Str], R::Fixed(T::Real)),
    udf,
);
