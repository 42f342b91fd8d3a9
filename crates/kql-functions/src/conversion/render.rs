//! Arrow values as Kusto prints them (`tostring`) and as dynamic JSON (`kql_to_dynamic`), by Arrow
//! type. `Utf8` input is a string here; dynamic text is handled by the callers that know it is one.

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{
    DataType, DurationNanosecondType, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type,
    TimeUnit, TimestampNanosecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use datafusion::common::{Result, exec_err};
use kql_types::time::format_timespan;
use serde_json::Value;

/// A non-null value of a supported Arrow type.
pub(crate) enum Scalar<'a> {
    Str(&'a str),
    Long(i64),
    UnsignedLong(u64),
    Real(f64),
    Bool(bool),
    DateTime(i64),
    TimeSpan(i64),
}

/// Calls `each(row, value)` for every row of `array`; `None` for nulls. Dispatches on the type once.
pub(crate) fn for_each(
    array: &ArrayRef,
    mut each: impl FnMut(Option<Scalar<'_>>) -> Result<()>,
) -> Result<()> {
    macro_rules! primitive {
        ($t:ty, $variant:expr) => {{
            let a = array.as_primitive::<$t>();
            for row in 0..a.len() {
                each(a.is_valid(row).then(|| $variant(a.value(row))))?;
            }
        }};
    }
    match array.data_type() {
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            for row in 0..a.len() {
                each(a.is_valid(row).then(|| Scalar::Str(a.value(row))))?;
            }
        }
        DataType::Boolean => {
            let a = array.as_boolean();
            for row in 0..a.len() {
                each(a.is_valid(row).then(|| Scalar::Bool(a.value(row))))?;
            }
        }
        DataType::Int8 => primitive!(Int8Type, |v| Scalar::Long(i64::from(v))),
        DataType::Int16 => primitive!(Int16Type, |v| Scalar::Long(i64::from(v))),
        DataType::Int32 => primitive!(Int32Type, |v| Scalar::Long(i64::from(v))),
        DataType::Int64 => primitive!(Int64Type, Scalar::Long),
        DataType::UInt8 => primitive!(UInt8Type, |v| Scalar::Long(i64::from(v))),
        DataType::UInt16 => primitive!(UInt16Type, |v| Scalar::Long(i64::from(v))),
        DataType::UInt32 => primitive!(UInt32Type, |v| Scalar::Long(i64::from(v))),
        DataType::UInt64 => primitive!(UInt64Type, Scalar::UnsignedLong),
        DataType::Float32 => primitive!(Float32Type, |v| Scalar::Real(f64::from(v))),
        DataType::Float64 => primitive!(Float64Type, Scalar::Real),
        DataType::Timestamp(TimeUnit::Nanosecond, None) => {
            primitive!(TimestampNanosecondType, Scalar::DateTime)
        }
        DataType::Duration(TimeUnit::Nanosecond) => primitive!(DurationNanosecondType, Scalar::TimeSpan),
        DataType::Null => {
            for _ in 0..array.len() {
                each(None)?;
            }
        }
        other => return exec_err!("no Kusto conversion for Arrow type {other}"),
    }
    Ok(())
}

impl Scalar<'_> {
    /// The text Kusto's `tostring` gives.
    pub(crate) fn to_kusto_string(&self) -> String {
        match self {
            Scalar::Str(s) => s.to_string(),
            Scalar::Long(v) => v.to_string(),
            Scalar::UnsignedLong(v) => v.to_string(),
            Scalar::Real(v) => format_real(*v),
            Scalar::Bool(v) => v.to_string(),
            Scalar::DateTime(nanos) => kql_types::time::format_datetime_fixed(*nanos),
            Scalar::TimeSpan(nanos) => format_timespan(*nanos),
        }
    }

    /// The value as dynamic JSON: datetimes as 7-digit ISO strings (as Kusto prints them inside
    /// dynamic values, e.g. `"2022-01-01T00:00:00.0000000Z"`), timespans as their text.
    pub(crate) fn to_json(&self) -> Value {
        match self {
            Scalar::Str(s) => Value::from(*s),
            Scalar::Long(v) => Value::from(*v),
            Scalar::UnsignedLong(v) => Value::from(*v),
            Scalar::Real(v) => Value::from(*v),
            Scalar::Bool(v) => Value::from(*v),
            Scalar::DateTime(nanos) => Value::from(kql_types::time::format_datetime_fixed(*nanos)),
            Scalar::TimeSpan(nanos) => Value::from(format_timespan(*nanos)),
        }
    }
}

/// A real as .NET prints a double (shortest round-trip digits; scientific notation from 1E+15 up
/// and below 1E-04, exponent with a sign and at least two digits): 1.0 is "1", 0.1 is "0.1".
pub(crate) fn format_real(value: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if value == 0.0 {
        return if value.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // `{:e}` gives the shortest round-trip digits as d.ddddde<exp>.
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').expect("{:e} always has an exponent");
    let exponent: i32 = exponent.parse().expect("{:e} exponent is an integer");
    if (-4..15).contains(&exponent) {
        let plain = format!("{value}");
        return plain;
    }
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}E{sign}{:02}", exponent.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reals_print_like_dotnet() {
        assert_eq!(format_real(1.0), "1");
        assert_eq!(format_real(0.1), "0.1");
        assert_eq!(format_real(-2.5), "-2.5");
        assert_eq!(format_real(1e15), "1E+15");
        assert_eq!(format_real(123456789012345.0), "123456789012345");
        assert_eq!(format_real(0.0001), "0.0001");
        assert_eq!(format_real(0.00001), "1E-05");
        assert_eq!(format_real(1.5e300), "1.5E+300");
        assert_eq!(format_real(f64::NAN), "NaN");
    }

    #[test]
    fn datetimes_in_dynamic_have_seven_digits() {
        assert_eq!(
            kql_types::time::format_datetime_fixed(1_640_995_200_000_000_000),
            "2022-01-01T00:00:00.0000000Z"
        );
        assert_eq!(
            kql_types::time::format_datetime_fixed(1_640_995_200_123_456_700),
            "2022-01-01T00:00:00.1234567Z"
        );
    }
}
