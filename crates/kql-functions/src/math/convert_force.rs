//! `convert_force(value, from, to)`: forces, through newtons
//! (`convert_force(1.2, 'Newton', 'Decanewton')` is `0.12`).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::unit_conversion::ToBase::{Per, Times};
use super::unit_conversion::{Unit, convert, converter};
use crate::declare::*;

const UNITS: &[Unit] = &[
    ("Newton", Times(1.0)),
    ("Decanewton", Times(1e1)),
    ("Kilonewton", Times(1e3)),
    ("Meganewton", Times(1e6)),
    ("Millinewton", Times(1e-3)),
    ("Micronewton", Times(1e-6)),
    ("Dyn", Per(1e5)),
    ("KilogramForce", Times(9.80665)),
    ("PoundForce", Times(4.4482216152605)),
];

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        converter("kql_convert_force", |args| convert(args, UNITS))
    )
}

pub(crate) static CONVERT_FORCE: KustoFunction = KustoFunction::scalar(
    Signature::scalar("convert_force", &[P::Num, P::Str, P::Str], R::Fixed(T::Real)),
    udf,
);
