//! `convert_angle(value, from, to)`: angles, through degrees
//! (`convert_angle(1.2, 'Degree', 'Arcminute')` is `72.0`).

use std::f64::consts::PI;
use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::unit_conversion::ToBase::{Per, Times};
use super::unit_conversion::{Unit, convert, converter};
use crate::declare::*;

const UNITS: &[Unit] = &[
    ("Degree", Times(1.0)),
    ("Millidegree", Times(1e-3)),
    ("Arcminute", Per(60.0)),
    ("Arcsecond", Per(3600.0)),
    ("Radian", Times(180.0 / PI)),
    ("Gradian", Times(0.9)),
    ("Revolution", Times(360.0)),
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
