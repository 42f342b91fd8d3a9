//! `convert_mass(value, from, to)`: masses, through kilograms
//! (`convert_mass(1.2, 'Kilogram', 'Pound')` is `2.6455471462185307`).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::unit_conversion::{Unit, convert, converter, revised, unit};
use crate::declare::*;

/// The units the page lists, in its order, with UnitsNet's conversions to and from the base unit.
#[rustfmt::skip]
const UNITS: &[Unit] = &[
    unit("Centigram", |x| (x / 1000.0) * 0.01, |x| (x * 1000.0) / 0.01),
    unit("Decagram", |x| (x / 1000.0) * 10.0, |x| (x * 1000.0) / 10.0),
    unit("Decigram", |x| (x / 1000.0) * 0.1, |x| (x * 1000.0) / 0.1),
    unit("EarthMass", |x| x * 5.9722e+24, |x| x / 5.9722e+24),
    unit("Grain", |x| x / 15432.358352941432, |x| x * 15432.358352941432),
    unit("Gram", |x| x / 1000.0, |x| x * 1000.0),
    unit("Hectogram", |x| (x / 1000.0) * 100.0, |x| (x * 1000.0) / 100.0),
    unit("Kilogram", |x| x, |x| x),
    unit("Kilopound", |x| (x * 0.45359237) * 1000.0, |x| (x / 0.45359237) / 1000.0),
    unit("Kilotonne", |x| (x * 1000.0) * 1000.0, |x| (x / 1000.0) / 1000.0),
    unit("LongHundredweight", |x| x / 0.01968413055222121, |x| x * 0.01968413055222121),
    unit("LongTon", |x| x * 1016.0469088, |x| x / 1016.0469088),
    unit("Megapound", |x| (x * 0.45359237) * 1000000.0, |x| (x / 0.45359237) / 1000000.0),
    unit("Megatonne", |x| (x * 1000.0) * 1000000.0, |x| (x / 1000.0) / 1000000.0),
    unit("Microgram", |x| (x / 1000.0) * 1e-06, |x| (x * 1000.0) / 1e-06),
    unit("Milligram", |x| (x / 1000.0) * 0.001, |x| (x * 1000.0) / 0.001),
    unit("Nanogram", |x| (x / 1000.0) * 1e-09, |x| (x * 1000.0) / 1e-09),
    revised("Ounce"),
    unit("Pound", |x| x * 0.45359237, |x| x / 0.45359237),
    unit("ShortHundredweight", |x| x / 0.022046226218487758, |x| x * 0.022046226218487758),
    unit("ShortTon", |x| x * 907.18474, |x| x / 907.18474),
    unit("Slug", |x| x / 0.06852176556196105, |x| x * 0.06852176556196105),
    unit("SolarMass", |x| x * 1.98947e+30, |x| x / 1.98947e+30),
    unit("Stone", |x| x / 0.1574731728702698, |x| x * 0.1574731728702698),
    unit("Tonne", |x| x * 1000.0, |x| x / 1000.0),
];

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        converter("kql_convert_mass", |args| convert(args, UNITS))
    )
}

pub(crate) static CONVERT_MASS: KustoFunction = KustoFunction::scalar(
    // value, from unit, to unit.
    Signature::scalar("convert_mass", &[P::Num, P::Str, P::Str], R::Fixed(T::Real)),
    udf,
);
