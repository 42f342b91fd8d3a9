//! Kusto series functions: element-wise arithmetic, comparison and math over numeric dynamic arrays,
//! gap filling, filtering and statistics. A series is a dynamic array (JSON text); its elements are
//! numbers, and anything else in it (null, strings, bags) is a missing or non-numeric element.

use datafusion::common::{Result, exec_err};
use serde_json::{Number, Value};

use crate::registry::KustoFunction;

mod arithmetic;
mod comparison;
mod dot_product;
mod elementwise;
mod fill;
mod fill_linear;
mod iir;
mod magnitude;
mod math;
mod stats_dynamic;

/// The family's functions, each declared in its own file.
pub(crate) const FUNCTIONS: &[&KustoFunction] = &[
    &arithmetic::SERIES_ADD,
    &arithmetic::SERIES_SUBTRACT,
    &arithmetic::SERIES_MULTIPLY,
    &arithmetic::SERIES_DIVIDE,
    &comparison::SERIES_EQUALS,
    &comparison::SERIES_NOT_EQUALS,
    &comparison::SERIES_GREATER,
    &comparison::SERIES_GREATER_EQUALS,
    &comparison::SERIES_LESS,
    &comparison::SERIES_LESS_EQUALS,
    &math::SERIES_ACOS,
    &math::SERIES_ASIN,
    &math::SERIES_ATAN,
    &math::SERIES_CEILING,
    &math::SERIES_COS,
    &math::SERIES_EXP,
    &math::SERIES_FLOOR,
    &math::SERIES_LOG,
    &math::SERIES_SIN,
    &math::SERIES_TAN,
    &magnitude::SERIES_MAGNITUDE,
    &dot_product::SERIES_DOT_PRODUCT,
    &fill::SERIES_FILL_FORWARD,
    &fill::SERIES_FILL_BACKWARD,
    &fill::SERIES_FILL_CONST,
    &fill_linear::SERIES_FILL_LINEAR,
    &iir::SERIES_IIR,
    &stats_dynamic::SERIES_STATS_DYNAMIC,
];

/// A numeric series element: Kusto keeps `long` and `real` apart inside dynamic values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Num {
    Long(i64),
    Real(f64),
}

impl Num {
    /// The element as a number; `None` for null and non-numeric elements.
    pub(crate) fn of(value: &Value) -> Option<Num> {
        let Value::Number(number) = value else {
            return None;
        };
        match number.as_i64() {
            Some(long) => Some(Num::Long(long)),
            None => number.as_f64().map(Num::Real),
        }
    }

    pub(crate) fn as_f64(self) -> f64 {
        match self {
            Num::Long(v) => v as f64,
            Num::Real(v) => v,
        }
    }
}

/// A real as a dynamic element. Non-finite reals have no JSON form torhunt stores, so the call is
/// refused rather than answered with a null Kusto would not give.
pub(crate) fn real(name: &str, value: f64) -> Result<Value> {
    match Number::from_f64(value) {
        Some(number) => Ok(Value::Number(number)),
        None => {
            exec_err!("not supported yet: {name} giving a non-finite real ({value}) inside a dynamic array")
        }
    }
}

/// The elements of a dynamic value that is an array; `None` for anything else.
pub(crate) fn array(text: Option<&str>) -> Option<Vec<Value>> {
    match text.map(crate::dynamic::json::parse) {
        Some(Value::Array(items)) => Some(items),
        _ => None,
    }
}

/// Refuses a `missing_value_placeholder` other than null: which elements a numeric placeholder would
/// leave as gaps next to nulls is not documented.
pub(crate) fn null_placeholder_only(name: &str, placeholder: Option<&str>) -> Result<()> {
    match placeholder.map(crate::dynamic::json::parse) {
        None | Some(Value::Null) => Ok(()),
        Some(other) => {
            exec_err!("not supported yet: {name} with a missing_value_placeholder other than null ({other})")
        }
    }
}
