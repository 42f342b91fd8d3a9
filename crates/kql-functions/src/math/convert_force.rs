//! `convert_force(value, from, to)`: forces, through newtons
//! (`convert_force(1.2, 'Newton', 'Decanewton')` is `0.12`).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::unit_conversion::{Unit, convert, converter, revised, unit};
use crate::declare::*;

/// The units the page lists, in its order, with UnitsNet's conversions to and from the base unit.
#[rustfmt::skip]
const UNITS: &[Unit] = &[
    unit("Decanewton", |x| x * 10.0, |x| x / 10.0),
    unit("Dyn", |x| x / 100000.0, |x| x * 100000.0),
    revised("KilogramForce"),
    unit("Kilonewton", |x| x * 1000.0, |x| x / 1000.0),
    revised("KiloPond"),
    revised("KilopoundForce"),
    unit("Meganewton", |x| x * 1000000.0, |x| x / 1000000.0),
    unit("Micronewton", |x| x * 1e-06, |x| x / 1e-06),
    unit("Millinewton", |x| x * 0.001, |x| x / 0.001),
    unit("Newton", |x| x, |x| x),
    unit("OunceForce", |x| x * 0.2780138509537812, |x| x / 0.2780138509537812),
    revised("Poundal"),
    revised("PoundForce"),
    unit("ShortTonForce", |x| x * 8896.443230521, |x| x / 8896.443230521),
    revised("TonneForce"),
];

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        converter("kql_convert_force", |args| convert(args, UNITS))
    )
}

pub(crate) static CONVERT_FORCE: KustoFunction = KustoFunction::scalar(
    // value, from unit, to unit.
    Signature::scalar("convert_force", &[P::Num, P::Str, P::Str], R::Fixed(T::Real)),
    udf,
);
