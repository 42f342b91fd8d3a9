//! The shared body of the `convert_*` functions: `convert_<quantity>(value, from, to)` converts a
//! number between two named units through the quantity's base unit, as Kusto's unit library
//! (UnitsNet) does: the value in the base unit, then that in the target unit (none when the two units
//! are the same).
//!
//! Which UnitsNet Kusto runs is not documented. The units the five pages list are exactly those
//! UnitsNet had in mid-2022 (after Length's DataMile, before Speed's Mach), and every version up to
//! December 2024 still has them all (then Angle's Tilt, which the page lists, went), so the tables
//! carry the mid-2022 conversions, written as UnitsNet's generated code computes them. A unit whose
//! conversion changed within those versions (Mile, the pound- and kilogram-forces, Ounce, Knot) is
//! refused: its answer depends on the version. A name no page lists
//! is an invalid unit, null as the docs say; a listed name in other letter case is refused, since the
//! docs do not say whether names are case-sensitive.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};

use crate::string::kernel::{Args, Param, Params, define, double_rows};

/// A unit of a quantity, by its Kusto name, and how a value in it converts.
pub(super) struct Unit {
    name: &'static str,
    conversion: Option<Conversion>,
}

/// A value in the unit to the base unit, and a value in the base unit to the unit.
struct Conversion {
    to_base: fn(f64) -> f64,
    from_base: fn(f64) -> f64,
}

/// A unit UnitsNet converted the same way in every version that could be Kusto's.
pub(super) const fn unit(name: &'static str, to_base: fn(f64) -> f64, from_base: fn(f64) -> f64) -> Unit {
    Unit {
        name,
        conversion: Some(Conversion { to_base, from_base }),
    }
}

/// A unit the page lists whose conversion UnitsNet revised between those versions.
pub(super) const fn revised(name: &'static str) -> Unit {
    Unit {
        name,
        conversion: None,
    }
}

pub(super) const PARAMS: Params = Params::fixed(&[Param::Any, Param::Str, Param::Str]);

/// `value` (argument 0) converted from unit argument 1 to unit argument 2 of `units`.
pub(super) fn convert(args: &Args, units: &[Unit]) -> Result<ColumnarValue> {
    let values = cast(&args.any(0)?, &DataType::Float64)?;
    let values = values.as_primitive::<Float64Type>();
    let (from, to) = (args.str(1)?, args.str(2)?);
    double_rows(args, |row| {
        if values.is_null(row) {
            return Ok(None);
        }
        let (from, to) = (from.get(row), to.get(row));
        let (Some(source), Some(target)) = (
            conversion(args.name(), units, from)?,
            conversion(args.name(), units, to)?,
        ) else {
            return Ok(None);
        };
        let value = values.value(row);
        Ok(Some(if from == to {
            value
        } else {
            (target.from_base)((source.to_base)(value))
        }))
    })
}

/// The conversion of the unit `name` of `units`; `None` for a name the page does not list.
fn conversion<'a>(function: &str, units: &'a [Unit], name: &str) -> Result<Option<&'a Conversion>> {
    match units.iter().find(|unit| unit.name.eq_ignore_ascii_case(name)) {
        None => Ok(None),
        Some(unit) if unit.name != name => exec_err!(
            "not supported: {function}() with the unit '{name}': the docs name it '{}' and do not say \
             whether other letter cases are accepted",
            unit.name
        ),
        Some(Unit {
            conversion: Some(conversion),
            ..
        }) => Ok(Some(conversion)),
        Some(unit) => exec_err!(
            "not supported: {function}() with the unit '{}': UnitsNet, the unit library Kusto converts \
             with, changed its definition between versions, and the docs do not say which version \
             Kusto runs",
            unit.name
        ),
    }
}

/// Declares `kql_convert_<quantity>` over a unit table.
pub(super) fn converter(name: &'static str, eval: crate::string::kernel::Eval) -> Arc<ScalarUDF> {
    define(name, PARAMS, DataType::Float64, eval)
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::super::{convert_angle, convert_force, convert_length, convert_mass, convert_speed};
    use crate::string::kernel::testing::{call, call_scalars, real, s};

    fn convert(udf: Arc<ScalarUDF>, value: f64, from: &str, to: &str) -> ScalarValue {
        call_scalars(&udf, vec![real(value), s(from), s(to)])
    }

    use super::*;

    #[test]
    fn docs_examples() {
        assert_eq!(
            convert(convert_angle::udf(), 1.2, "Degree", "Arcminute"),
            real(72.0)
        );
        assert_eq!(
            convert(convert_force::udf(), 1.2, "Newton", "Decanewton"),
            real(0.12)
        );
        assert_eq!(
            convert(convert_length::udf(), 1.2, "Meter", "Foot"),
            real(3.9370078740157477)
        );
        assert_eq!(
            convert(convert_mass::udf(), 1.2, "Kilogram", "Pound"),
            real(2.6455471462185307)
        );
        assert_eq!(
            convert(convert_speed::udf(), 1.2, "MeterPerSecond", "CentimeterPerHour"),
            real(432000.0)
        );
    }

    #[test]
    fn null_values_and_unknown_units_are_null_revised_units_and_other_cases_refused() {
        let null = vec![ScalarValue::Float64(None), s("Meter"), s("Foot")];
        assert_eq!(
            call_scalars(&convert_length::udf(), null),
            ScalarValue::Float64(None)
        );
        assert_eq!(
            convert(convert_length::udf(), 1.0, "Meter", "Furlong"),
            ScalarValue::Float64(None)
        );
        for (from, to) in [("Meter", "Mile"), ("meter", "Foot")] {
            let args = [real(1.0), s(from), s(to)].map(ColumnarValue::Scalar).to_vec();
            assert!(call(&convert_length::udf(), args).is_err(), "{from} {to}");
        }
    }

    #[test]
    fn conversions_follow_unitsnet_step_by_step() {
        // UnitsNet: 1 revolution is 360 degrees, 400 gradians (360 / 0.9) and 6400 NATO mils.
        assert_eq!(
            convert(convert_angle::udf(), 1.0, "Revolution", "Gradian"),
            real(400.0)
        );
        assert_eq!(
            convert(convert_angle::udf(), 1.0, "Revolution", "NatoMil"),
            real(6400.0)
        );
        // Through kilograms: a pound is 0.45359237 kg, a stone 1 / 0.1574731728702698 kg.
        let pounds_per_stone = (1.0 / 0.1574731728702698) / 0.45359237;
        assert_eq!(
            convert(convert_mass::udf(), 1.0, "Stone", "Pound"),
            real(pounds_per_stone)
        );
    }
}
