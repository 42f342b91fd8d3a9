//! Kusto series functions: element-wise arithmetic, comparison and math over numeric dynamic arrays,
//! gap filling, filtering and statistics. A series is a dynamic array (JSON text); its elements are
//! numbers, and anything else in it (null, strings, bags) is a missing or non-numeric element.

use std::sync::Arc;

use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;
use serde_json::{Number, Value};

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

pub fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![
        arithmetic::series_add(),
        arithmetic::series_subtract(),
        arithmetic::series_multiply(),
        arithmetic::series_divide(),
        comparison::series_equals(),
        comparison::series_not_equals(),
        comparison::series_greater(),
        comparison::series_greater_equals(),
        comparison::series_less(),
        comparison::series_less_equals(),
        math::series_acos(),
        math::series_asin(),
        math::series_atan(),
        math::series_ceiling(),
        math::series_cos(),
        math::series_exp(),
        math::series_floor(),
        math::series_log(),
        math::series_sin(),
        math::series_tan(),
        magnitude::series_magnitude(),
        dot_product::series_dot_product(),
        fill::series_fill_forward(),
        fill::series_fill_backward(),
        fill::series_fill_const(),
        fill_linear::series_fill_linear(),
        iir::series_iir(),
        stats_dynamic::series_stats_dynamic(),
    ]
}

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
