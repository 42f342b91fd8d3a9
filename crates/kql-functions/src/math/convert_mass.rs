//! `convert_mass(value, from, to)`: masses, through kilograms (`convert_mass(1.2, 'Kilogram', 'Pound')`
//! is `2.6455471462185307`).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::unit_conversion::ToBase::Times;
use super::unit_conversion::{Unit, convert, converter};
use crate::declare::*;

const UNITS: &[Unit] = &[
    ("Kilogram", Times(1.0)),
    ("Gram", Times(1e-3)),
    ("Milligram", Times(1e-6)),
    ("Microgram", Times(1e-9)),
    ("Tonne", Times(1e3)),
    ("Pound", Times(0.45359237)),
    ("Ounce", Times(0.028349523125)),
];

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        converter("kql_convert_mass", |args| convert(args, UNITS))
    )
}

pub(crate) static CONVERT_MASS: KustoFunction = KustoFunction::scalar(
    Signature::scalar("convert_mass", &[P::Num, P::Str, P::Str], R::Fixed(T::Real)),
    udf,
);
