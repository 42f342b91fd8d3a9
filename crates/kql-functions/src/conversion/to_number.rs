//! `tolong`, `toint`, `todouble` (alias `toreal`): any value to a number, null when it does not
//! convert (`tolong("123")` is 123, `toint("abc")` is null). Strings and dynamic text are parsed
//! (a JSON-quoted number such as dynamic "5" too; a real is truncated toward zero for the integer
//! forms); bools give 1/0; datetimes give ticks (100 ns) since 0001-01-01 and timespans ticks.

use std::sync::Arc;

use datafusion::arrow::array::{Float64Builder, Int32Builder, Int64Builder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use kql_types::time::NANOS_PER_TICK;

use super::render::{Scalar, for_each};
use crate::declare::*;
use crate::string::kernel::{Args, Param, Params, define};

const PARAMS: Params = Params::fixed(&[Param::Any]);

/// Ticks from 0001-01-01 to the Unix epoch.
const EPOCH_TICKS: i64 = 621_355_968_000_000_000;

/// `kql_tolong(x: any) -> Int64`.
pub fn tolong() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_tolong", PARAMS, DataType::Int64, |args| {
            let mut out = Int64Builder::with_capacity(args.rows());
            for_each(&args.any(0)?, |v| {
                out.append_option(v.and_then(|v| to_f64_or_i64(&v)).and_then(Number::to_i64));
                Ok(())
            })?;
            args.finish(Arc::new(out.finish()))
        })
    )
}

pub(crate) static TOLONG: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("tolong", &[P::Any], R::Fixed(T::Long)).named(N::FirstArgument),
    super::lower_conversion,
    super::CONVERSION_UDFS,
);

/// `kql_toint(x: any) -> Int32`; out-of-range values give null.
pub fn toint() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_toint", PARAMS, DataType::Int32, |args| {
            let mut out = Int32Builder::with_capacity(args.rows());
            for_each(&args.any(0)?, |v| {
                let value = v.and_then(|v| to_f64_or_i64(&v)).and_then(Number::to_i64);
                out.append_option(value.and_then(|v| i32::try_from(v).ok()));
                Ok(())
            })?;
            args.finish(Arc::new(out.finish()))
        })
    )
}

pub(crate) static TOINT: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("toint", &[P::Any], R::Fixed(T::Int)).named(N::FirstArgument),
    super::lower_conversion,
    super::CONVERSION_UDFS,
);

/// `kql_todouble(x: any) -> Float64`.
pub fn todouble() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_todouble", PARAMS, DataType::Float64, to_real)
    )
}

pub(crate) static TODOUBLE: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("todouble", &[P::Any], R::Fixed(T::Real)).named(N::FirstArgument),
    super::lower_conversion,
    super::CONVERSION_UDFS,
);

/// `kql_toreal(x: any) -> Float64`, the same as `kql_todouble`.
pub fn toreal() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_toreal", PARAMS, DataType::Float64, to_real)
    )
}

// Converts through `kql_todouble`, as `todouble` does.
pub(crate) static TOREAL: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("toreal", &[P::Any], R::Fixed(T::Real)).named(N::FirstArgument),
    super::lower_conversion,
    super::CONVERSION_UDFS,
);

fn to_real(args: &Args) -> Result<ColumnarValue> {
    let mut out = Float64Builder::with_capacity(args.rows());
    for_each(&args.any(0)?, |v| {
        out.append_option(v.and_then(|v| to_f64_or_i64(&v)).map(Number::to_f64));
        Ok(())
    })?;
    args.finish(Arc::new(out.finish()))
}

#[derive(Clone, Copy)]
enum Number {
    Integer(i64),
    Real(f64),
}

impl Number {
    fn to_i64(self) -> Option<i64> {
        match self {
            Number::Integer(v) => Some(v),
            Number::Real(v) if v.is_finite() && v.abs() < 9.2e18 => Some(v.trunc() as i64),
            Number::Real(_) => None,
        }
    }

    fn to_f64(self) -> f64 {
        match self {
            Number::Integer(v) => v as f64,
            Number::Real(v) => v,
        }
    }
}

fn to_f64_or_i64(value: &Scalar<'_>) -> Option<Number> {
    Some(match value {
        Scalar::Str(text) => return parse_number(text),
        Scalar::Long(v) => Number::Integer(*v),
        Scalar::UnsignedLong(v) => Number::Integer(i64::try_from(*v).ok()?),
        Scalar::Real(v) => Number::Real(*v),
        Scalar::Bool(v) => Number::Integer(i64::from(*v)),
        Scalar::DateTime(nanos) => Number::Integer(nanos.div_euclid(NANOS_PER_TICK) + EPOCH_TICKS),
        Scalar::TimeSpan(nanos) => Number::Integer(nanos / NANOS_PER_TICK),
    })
}

fn parse_number(text: &str) -> Option<Number> {
    let text = text.trim();
    // A dynamic string holding a number arrives as JSON text with quotes.
    let text = match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) => inner.trim(),
        None => text,
    };
    if let Ok(v) = text.parse::<i64>() {
        return Some(Number::Integer(v));
    }
    let real = text.parse::<f64>().ok()?;
    Some(Number::Real(real))
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // tolong("123") == 123; toint("123") == 123; todouble("1.0") == 1.0; toint("abc") is null.
        assert_eq!(call_scalars(&tolong(), vec![s("123")]), long(123));
        assert_eq!(
            call_scalars(&toint(), vec![s("123")]),
            ScalarValue::Int32(Some(123))
        );
        assert_eq!(call_scalars(&toint(), vec![s("abc")]), ScalarValue::Int32(None));
        assert_eq!(
            call_scalars(&todouble(), vec![s("1.0")]),
            ScalarValue::Float64(Some(1.0))
        );
        assert_eq!(
            call_scalars(&toreal(), vec![long(7)]),
            ScalarValue::Float64(Some(7.0))
        );
        // Dynamic values: tolong(dynamic(5)) == 5, tolong(dynamic("5")) == 5.
        assert_eq!(call_scalars(&tolong(), vec![s("5")]), long(5));
        assert_eq!(call_scalars(&tolong(), vec![s("\"5\"")]), long(5));
        assert_eq!(
            call_scalars(&tolong(), vec![ScalarValue::Float64(Some(2.7))]),
            long(2)
        );
        assert_eq!(
            call_scalars(&tolong(), vec![ScalarValue::Boolean(Some(true))]),
            long(1)
        );
        assert_eq!(
            call_scalars(&tolong(), vec![ScalarValue::Null]),
            ScalarValue::Int64(None)
        );
        // tolong(1d) is the tick count 864000000000.
        let day = ScalarValue::DurationNanosecond(Some(86_400_000_000_000));
        assert_eq!(call_scalars(&tolong(), vec![day]), long(864_000_000_000));
        assert_eq!(
            call_scalars(&toint(), vec![long(1 << 40)]),
            ScalarValue::Int32(None)
        );
    }
}
