//! `convert_length(value, from, to)`: lengths, through meters (`convert_length(1.2, 'Meter', 'Foot')`
//! is `3.9370078740157477`).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::unit_conversion::ToBase::Times;
use super::unit_conversion::{Unit, convert, converter};
use crate::declare::*;

const UNITS: &[Unit] = &[
    ("Meter", Times(1.0)),
    ("Kilometer", Times(1e3)),
    ("Decimeter", Times(1e-1)),
    ("Centimeter", Times(1e-2)),
    ("Millimeter", Times(1e-3)),
    ("Micrometer", Times(1e-6)),
    ("Nanometer", Times(1e-9)),
    ("Inch", Times(2.54e-2)),
    ("Foot", Times(0.3048)),
    ("Yard", Times(0.9144)),
    ("Mile", Times(1609.344)),
    ("NauticalMile", Times(1852.0)),
];

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        converter("kql_convert_length", |args| convert(args, UNITS))
    )
}

pub(crate) static CONVERT_LENGTH: KustoFunction = KustoFunction::scalar(
    Signature::scalar("convert_length", &[P::Num, P::Str, P::Str], R::Fixed(T::Real)),
    udf,
);
