//! The shared body of the `convert_*` functions: `convert_<quantity>(value, from, to)` converts a
//! number between two named units through the quantity's base unit, the way Kusto's unit library
//! (UnitsNet) does: each unit is defined by how a value in it becomes a value in the base unit.
//! Only the units listed in each function's table are known; any other name is refused rather than
//! answered with a guess.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};

use crate::string::kernel::{Args, Param, Params, define, double_rows};

/// How a value in a unit becomes a value in the base unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum ToBase {
    /// base = value × factor.
    Times(f64),
    /// base = value ÷ divisor.
    Per(f64),
}

/// A unit of a quantity, by its Kusto name.
pub(super) type Unit = (&'static str, ToBase);

pub(super) const PARAMS: Params = Params::fixed(&[Param::Any, Param::Str, Param::Str]);

/// `value` (argument 0) converted from unit argument 1 to unit argument 2 of `units`.
pub(super) fn convert(args: &Args, units: &[Unit]) -> Result<ColumnarValue> {
    let values = cast(&args.any(0)?, &DataType::Float64)?;
    let values = values.as_primitive::<Float64Type>();
    let (from, to) = (args.str(1)?, args.str(2)?);
    let unit = |name: &str| match units.iter().find(|(known, _)| *known == name) {
        Some((_, to_base)) => Ok(*to_base),
        None => exec_err!("not supported yet: {} with the unit '{name}'", args.name()),
    };
    double_rows(args, |row| {
        if values.is_null(row) {
            return Ok(None);
        }
        let base = match unit(from.get(row))? {
            ToBase::Times(factor) => values.value(row) * factor,
            ToBase::Per(divisor) => values.value(row) / divisor,
        };
        Ok(Some(match unit(to.get(row))? {
            ToBase::Times(factor) => base / factor,
            ToBase::Per(divisor) => base * divisor,
        }))
    })
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
    fn null_values_stay_null_and_unknown_units_are_refused() {
        let null = vec![ScalarValue::Float64(None), s("Meter"), s("Foot")];
        assert_eq!(
            call_scalars(&convert_length::udf(), null),
            ScalarValue::Float64(None)
        );
        let unknown = [real(1.0), s("Meter"), s("Furlong")]
            .map(ColumnarValue::Scalar)
            .to_vec();
        assert!(call(&convert_length::udf(), unknown).is_err());
    }
}
