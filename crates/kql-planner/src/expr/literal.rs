//! Kusto constants as DataFusion scalars of the `kql-types` Arrow types.

use datafusion::common::ScalarValue;
use kql_binder::bound::Value;
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::{DECIMAL_PRECISION, DECIMAL_SCALE};

use crate::PResult;

pub(crate) fn scalar_value(value: &Value, span: Span) -> PResult<ScalarValue> {
    let scalar = match value {
        Value::Null(ty) => ScalarValue::try_from(ty.arrow_type())
            .map_err(|e| Diagnostic::new(DiagnosticKind::Semantic, e.to_string(), span))?,
        Value::Bool(b) => ScalarValue::Boolean(Some(*b)),
        Value::Int(n) => ScalarValue::Int32(Some(*n)),
        Value::Long(n) => ScalarValue::Int64(Some(*n)),
        Value::Real(x) => ScalarValue::Float64(Some(*x)),
        Value::Decimal(text) => {
            ScalarValue::Decimal128(Some(decimal_units(text, span)?), DECIMAL_PRECISION, DECIMAL_SCALE)
        }
        Value::String(s) | Value::Guid(s) | Value::Dynamic(s) => ScalarValue::Utf8(Some(s.clone())),
        Value::DateTime(nanos) => ScalarValue::TimestampNanosecond(Some(*nanos), None),
        Value::TimeSpan(nanos) => ScalarValue::DurationNanosecond(Some(*nanos)),
    };
    Ok(scalar)
}

/// A decimal literal as an integer count of 10^-scale units.
fn decimal_units(text: &str, span: Span) -> PResult<i128> {
    kql_types::decimal_units(text).ok_or_else(|| {
        Diagnostic::new(
            DiagnosticKind::Type,
            format!("`{text}` is not a valid decimal"),
            span,
        )
    })
}
