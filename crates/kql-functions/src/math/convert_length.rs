//! `convert_length(value, from, to)`: lengths, through meters
//! (`convert_length(1.2, 'Meter', 'Foot')` is `3.9370078740157477`).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::unit_conversion::{Unit, convert, converter, revised, unit};
use crate::declare::*;

/// The units the page lists, in its order, with UnitsNet's conversions to and from the base unit.
#[rustfmt::skip]
const UNITS: &[Unit] = &[
    unit("Angstrom", |x| x * 1e-10, |x| x / 1e-10),
    unit("AstronomicalUnit", |x| x * 149597870700.0, |x| x / 149597870700.0),
    unit("Centimeter", |x| x * 0.01, |x| x / 0.01),
    unit("Chain", |x| x * 20.1168, |x| x / 20.1168),
    unit("DataMile", |x| x * 1828.8, |x| x / 1828.8),
    unit("Decameter", |x| x * 10.0, |x| x / 10.0),
    unit("Decimeter", |x| x * 0.1, |x| x / 0.1),
    unit("DtpPica", |x| x / 236.220472441, |x| x * 236.220472441),
    unit("DtpPoint", |x| (x / 72.0) * 0.0254, |x| (x / 0.0254) * 72.0),
    unit("Fathom", |x| x * 1.8288, |x| x / 1.8288),
    unit("Foot", |x| x * 0.3048, |x| x / 0.3048),
    unit("Hand", |x| x * 0.1016, |x| x / 0.1016),
    unit("Hectometer", |x| x * 100.0, |x| x / 100.0),
    unit("Inch", |x| x * 0.0254, |x| x / 0.0254),
    unit("KilolightYear", |x| (x * 9460730472580000.0) * 1000.0, |x| (x / 9460730472580000.0) / 1000.0),
    unit("Kilometer", |x| x * 1000.0, |x| x / 1000.0),
    unit("Kiloparsec", |x| (x * 3.08567758128e+16) * 1000.0, |x| (x / 3.08567758128e+16) / 1000.0),
    unit("LightYear", |x| x * 9460730472580000.0, |x| x / 9460730472580000.0),
    unit("MegalightYear", |x| (x * 9460730472580000.0) * 1000000.0, |x| (x / 9460730472580000.0) / 1000000.0),
    unit("Megaparsec", |x| (x * 3.08567758128e+16) * 1000000.0, |x| (x / 3.08567758128e+16) / 1000000.0),
    unit("Meter", |x| x, |x| x),
    unit("Microinch", |x| x * 2.54e-08, |x| x / 2.54e-08),
    unit("Micrometer", |x| x * 1e-06, |x| x / 1e-06),
    unit("Mil", |x| x * 2.54e-05, |x| x / 2.54e-05),
    revised("Mile"),
    unit("Millimeter", |x| x * 0.001, |x| x / 0.001),
    unit("Nanometer", |x| x * 1e-09, |x| x / 1e-09),
    unit("NauticalMile", |x| x * 1852.0, |x| x / 1852.0),
    unit("Parsec", |x| x * 3.08567758128e+16, |x| x / 3.08567758128e+16),
    unit("PrinterPica", |x| x / 237.106301584, |x| x * 237.106301584),
    unit("PrinterPoint", |x| (x / 72.27) * 0.0254, |x| (x / 0.0254) * 72.27),
    unit("Shackle", |x| x * 27.432, |x| x / 27.432),
    unit("SolarRadius", |x| x * 695510000.0, |x| x / 695510000.0),
    unit("Twip", |x| x / 56692.913385826, |x| x * 56692.913385826),
    unit("UsSurveyFoot", |x| x * 1200.0 / 3937.0, |x| x * 3937.0 / 1200.0),
    unit("Yard", |x| x * 0.9144, |x| x / 0.9144),
];

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        converter("kql_convert_length", |args| convert(args, UNITS))
    )
}

pub(crate) static CONVERT_LENGTH: KustoFunction = KustoFunction::scalar(
    // value, from unit, to unit.
    Signature::scalar("convert_length", &[P::Num, P::Str, P::Str], R::Fixed(T::Real)),
    udf,
);
