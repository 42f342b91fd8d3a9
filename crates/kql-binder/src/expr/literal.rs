//! Literals: type names, scalar literals and `dynamic(...)` values as constants.

use kql_syntax::ast::{DynamicValue, Literal, TypeName};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;
use kql_types::time::{
    datetime_from_parts, format_datetime_fixed, format_timespan, parse_datetime, parse_timespan,
};
use serde_json::{Map, Value as Json};

use crate::BResult;
use crate::bound::Value;

/// The Kusto type a type name denotes.
pub(crate) fn type_named(name: &TypeName) -> BResult<KustoType> {
    KustoType::from_name(&name.name).ok_or_else(|| {
        Diagnostic::new(
            DiagnosticKind::Type,
            format!("unknown type `{}`", name.name),
            name.span,
        )
    })
}

/// The constant a literal denotes.
pub(crate) fn value(literal: &Literal, span: Span) -> BResult<Value> {
    let value = match literal {
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Long(n) => Value::Long(*n),
        Literal::Int(n) => Value::Int(*n),
        Literal::Real(x) => Value::Real(*x),
        Literal::Decimal(text) => Value::Decimal(text.clone()),
        Literal::String(s) => Value::String(s.clone()),
        Literal::DateTime(text) => Value::DateTime(datetime(text, span)?),
        Literal::TimeSpan(text) => Value::TimeSpan(timespan(text, span)?),
        Literal::Guid(text) => Value::Guid(text.trim().to_ascii_lowercase()),
        Literal::Dynamic(DynamicValue::Null) => Value::Null(KustoType::Dynamic),
        Literal::Dynamic(dynamic) => Value::Dynamic(to_json(dynamic, span)?.to_string()),
        Literal::Null(type_name) => Value::Null(type_named(type_name)?),
    };
    Ok(value)
}

fn datetime(text: &str, span: Span) -> BResult<i64> {
    parse_datetime(text)
        .or_else(|| datetime_parts(text))
        .ok_or_else(|| {
            Diagnostic::new(
                DiagnosticKind::Type,
                format!("`{text}` is not a valid datetime"),
                span,
            )
        })
}

/// The literal's component form, `datetime(2025, 6, 14)` or `datetime(2025, 6, 14, 8, 30, 0)` (year,
/// month, day, then optionally hour, minute, second), which Kusto accepts as the documentation's
/// `startofweek` example shows.
fn datetime_parts(text: &str) -> Option<i64> {
    let parts = text
        .split(',')
        .map(|part| part.trim().parse::<u32>().ok().map(i64::from))
        .collect::<Option<Vec<_>>>()?;
    match parts[..] {
        [year, month, day] => datetime_from_parts(year, month, day, 0, 0, 0.0),
        [year, month, day, hour] => datetime_from_parts(year, month, day, hour, 0, 0.0),
        [year, month, day, hour, minute] => datetime_from_parts(year, month, day, hour, minute, 0.0),
        [year, month, day, hour, minute, second] => {
            datetime_from_parts(year, month, day, hour, minute, second as f64)
        }
        _ => None,
    }
}

fn timespan(text: &str, span: Span) -> BResult<i64> {
    parse_timespan(text)
        .or_else(|| literal_timespan(text))
        .ok_or_else(|| {
            Diagnostic::new(
                DiagnosticKind::Type,
                format!("`{text}` is not a valid timespan"),
                span,
            )
        })
}

/// The literal forms the timespan page lists beyond the text `totimespan` reads: `timespan(n)`, n days,
/// and `timespan(n seconds)`, a number, spaces and a unit.
fn literal_timespan(text: &str) -> Option<i64> {
    let text = text.trim();
    let (number, unit) = text.split_once(' ').unwrap_or((text, "d"));
    let per_unit = kql_types::time::timespan_unit_nanos(unit.trim())?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    if let Ok(whole) = number.parse::<i64>() {
        return whole.checked_mul(per_unit);
    }
    let nanos = number.parse::<f64>().ok()? * per_unit as f64;
    (nanos.abs() < i64::MAX as f64).then_some(nanos.round() as i64)
}

/// A `dynamic(...)` literal as JSON; embedded typed scalars become their Kusto text form.
fn to_json(dynamic: &DynamicValue, span: Span) -> BResult<Json> {
    let json = match dynamic {
        DynamicValue::Null => Json::Null,
        DynamicValue::Bool(b) => Json::Bool(*b),
        DynamicValue::Long(n) => Json::from(*n),
        DynamicValue::Real(x) => serde_json::Number::from_f64(*x).map_or(Json::Null, Json::Number),
        DynamicValue::String(s) => Json::String(s.clone()),
        DynamicValue::Array(items) => Json::Array(
            items
                .iter()
                .map(|item| to_json(item, span))
                .collect::<BResult<_>>()?,
        ),
        DynamicValue::Bag(properties) => {
            let mut bag = Map::new();
            for (key, value) in properties {
                bag.insert(key.clone(), to_json(value, span)?);
            }
            Json::Object(bag)
        }
        DynamicValue::Scalar(literal) => scalar_json(&value(literal, span)?),
    };
    Ok(json)
}

/// The scalar elements of a constant dynamic value as list values: an array's elements with nested
/// arrays flattened (the `in` docs: `x in (dynamic([1,[2,3]]))` is `x in (1,2,3)`), a scalar as
/// itself, nulls left out (they equal nothing); `None` when a property bag is among them.
pub(crate) fn array_elements(json_text: &str) -> Option<Vec<Value>> {
    fn flatten(json: Json, out: &mut Vec<Value>) -> Option<()> {
        match json {
            Json::Null => {}
            Json::String(s) => out.push(Value::String(s)),
            Json::Bool(b) => out.push(Value::Bool(b)),
            Json::Number(n) => out.push(
                n.as_i64()
                    .map_or_else(|| Value::Real(n.as_f64().unwrap_or(f64::NAN)), Value::Long),
            ),
            Json::Array(items) => items.into_iter().try_for_each(|item| flatten(item, out))?,
            Json::Object(_) => return None,
        }
        Some(())
    }
    let mut values = Vec::new();
    flatten(serde_json::from_str(json_text).ok()?, &mut values)?;
    Some(values)
}

/// Converts a constant to another type where Kusto would accept it in a typed position
/// (`datatable(a:int)[1]`, `datatable(d:dynamic)[1]`), or `None` when it does not fit.
pub(crate) fn coerce(value: Value, ty: KustoType) -> Option<Value> {
    if value.ty() == ty {
        return Some(value);
    }
    let coerced = match (value, ty) {
        (Value::Null(_), ty) => Value::Null(ty),
        (Value::Long(n), KustoType::Int) => Value::Int(i32::try_from(n).ok()?),
        (Value::Int(n), KustoType::Long) => Value::Long(n.into()),
        (Value::Long(n), KustoType::Real) => Value::Real(n as f64),
        (Value::Int(n), KustoType::Real) => Value::Real(n.into()),
        (Value::Long(n), KustoType::Decimal) => Value::Decimal(n.to_string()),
        (Value::Real(x), KustoType::Decimal) => Value::Decimal(x.to_string()),
        (Value::String(s), KustoType::Guid) => Value::Guid(s.to_ascii_lowercase()),
        // As `tolong("x")` etc.: text that is not a number converts to null.
        (Value::String(s), KustoType::Long) => s.trim().parse().map_or(Value::Null(ty), Value::Long),
        (Value::String(s), KustoType::Int) => s.trim().parse().map_or(Value::Null(ty), Value::Int),
        (Value::String(s), KustoType::Real) => s.trim().parse().map_or(Value::Null(ty), Value::Real),
        (value, KustoType::Dynamic) => Value::Dynamic(scalar_json(&value).to_string()),
        _ => return None,
    };
    Some(coerced)
}

fn scalar_json(value: &Value) -> Json {
    match value {
        Value::Null(_) => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(n) => Json::from(*n),
        Value::Long(n) => Json::from(*n),
        Value::Real(x) => serde_json::Number::from_f64(*x).map_or(Json::Null, Json::Number),
        // Inside dynamic values Kusto writes datetimes with all seven fractional digits.
        Value::DateTime(nanos) => Json::String(format_datetime_fixed(*nanos)),
        Value::TimeSpan(nanos) => Json::String(format_timespan(*nanos)),
        Value::Dynamic(text) => serde_json::from_str(text).unwrap_or(Json::Null),
        Value::Decimal(text) | Value::String(text) | Value::Guid(text) => Json::String(text.clone()),
    }
}
