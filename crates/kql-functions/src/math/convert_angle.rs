//! `convert_angle(value, from, to)`: angles, through degrees
//! (`convert_angle(1.2, 'Degree', 'Arcminute')` is `72.0`).

use std::f64::consts::PI;
use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::unit_conversion::{Unit, convert, converter, unit};
use crate::declare::*;

/// The units the page lists, in its order, with UnitsNet's conversions to and from the base unit.
#[rustfmt::skip]
const UNITS: &[Unit] = &[
    unit("Arcminute", |x| x / 60.0, |x| x * 60.0),
    unit("Arcsecond", |x| x / 3600.0, |x| x * 3600.0),
    unit("Centiradian", |x| (x * 180.0 / PI) * 0.01, |x| (x / 180.0 * PI) / 0.01),
    unit("Deciradian", |x| (x * 180.0 / PI) * 0.1, |x| (x / 180.0 * PI) / 0.1),
    unit("Degree", |x| x, |x| x),
    unit("Gradian", |x| x * 0.9, |x| x / 0.9),
    unit("Microdegree", |x| x * 1e-06, |x| x / 1e-06),
    unit("Microradian", |x| (x * 180.0 / PI) * 1e-06, |x| (x / 180.0 * PI) / 1e-06),
    unit("Millidegree", |x| x * 0.001, |x| x / 0.001),
    unit("Milliradian", |x| (x * 180.0 / PI) * 0.001, |x| (x / 180.0 * PI) / 0.001),
    unit("Nanodegree", |x| x * 1e-09, |x| x / 1e-09),
    unit("Nanoradian", |x| (x * 180.0 / PI) * 1e-09, |x| (x / 180.0 * PI) / 1e-09),
    unit("NatoMil", |x| x * 9.0 / 160.0, |x| x * 160.0 / 9.0),
    unit("Radian", |x| x * 180.0 / PI, |x| x / 180.0 * PI),
    unit("Revolution", |x| x * 360.0, |x| x / 360.0),
    unit("Tilt", |x| f64::asin(x) * 180.0 / PI, |x| f64::sin(x / 180.0 * PI)),
];

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        converter("kql_convert_angle", |args| convert(args, UNITS))
    )
}

pub(crate) static CONVERT_ANGLE: KustoFunction = KustoFunction::scalar(
    // value, from unit, to unit.
    Signature::scalar("convert_angle", &[P::Num, P::Str, P::Str], R::Fixed(T::Real)),
    udf,
);
