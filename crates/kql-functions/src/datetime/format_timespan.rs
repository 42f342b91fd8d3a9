//! `format_timespan(timespan, format)`: the timespan as text in a custom format (`dd.hh:mm:ss`).
//! `d` runs print the whole days padded to the run length; `h`/`H` the hours of the day. A negative
//! timespan is printed with a leading `-`.

use std::fmt::Write;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, DurationNanosecondType};
use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::ScalarUDF;
use kql_types::time::{NANOS_PER_DAY, NANOS_PER_HOUR, NANOS_PER_MINUTE, NANOS_PER_SECOND, NANOS_PER_TICK};

use super::calendar::{string_arg, timespan_arg};
use super::format_spec::{FormatCache, Token, write_fraction};
use crate::declare::*;
use crate::math::kernel::{KernelUdf, check_arity};

const NAME: &str = "kql_format_timespan";

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        KernelUdf::new(
            NAME,
            |types| {
                check_arity(NAME, types, 2, 2)?;
                Ok(vec![timespan_arg(NAME, types, 0)?, string_arg(NAME, types, 1)?])
            },
            |_| Ok(DataType::Utf8),
            kernel,
        )
        .into_udf()
    )
}

pub(crate) static FORMAT_TIMESPAN: KustoFunction = KustoFunction::scalar(
    Signature::scalar("format_timespan", &[P::TimeSpan, P::Str], R::Fixed(T::String)),
    udf,
);

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    let spans = args[0].as_primitive::<DurationNanosecondType>();
    let formats = args[1].as_string::<i32>();
    let mut cache = FormatCache::default();
    let mut out = StringBuilder::with_capacity(spans.len(), spans.len() * 16);
    for row in 0..spans.len() {
        if spans.is_null(row) || formats.is_null(row) {
            out.append_null();
            continue;
        }
        write_timespan(&mut out, spans.value(row), cache.tokens(formats.value(row)))
            .map_err(|e| DataFusionError::Execution(format!("{NAME}(): {e}")))?;
        out.append_value("");
    }
    Ok(Arc::new(out.finish()))
}

fn write_timespan(out: &mut impl Write, nanos: i64, tokens: &[Token]) -> std::fmt::Result {
    if nanos < 0 {
        out.write_char('-')?;
    }
    let abs = nanos.unsigned_abs();
    let part = |unit: i64, modulo: i64| (abs / unit as u64) % modulo as u64;
    let days = abs / NANOS_PER_DAY as u64;
    let ticks = (abs % NANOS_PER_SECOND as u64 / NANOS_PER_TICK as u64) as i64;
    for token in tokens {
        match *token {
            Token::Literal(c) => out.write_char(c)?,
            Token::Field { letter: b'd', count } => write!(out, "{days:0count$}")?,
            Token::Field {
                letter: b'h' | b'H',
                count,
            } => write!(out, "{:0w$}", part(NANOS_PER_HOUR, 24), w = count.min(2))?,
            Token::Field { letter: b'm', count } => {
                write!(out, "{:0w$}", part(NANOS_PER_MINUTE, 60), w = count.min(2))?
            }
            Token::Field { letter: b's', count } => {
                write!(out, "{:0w$}", part(NANOS_PER_SECOND, 60), w = count.min(2))?
            }
            Token::Field { letter: b'f', count } => write_fraction(out, ticks, count, false)?,
            Token::Field { letter: b'F', count } => write_fraction(out, ticks, count, true)?,
            // Date-only specifiers (M, y, t) mean nothing for a timespan: copied as written.
            Token::Field { letter, count } => {
                for _ in 0..count {
                    out.write_char(char::from(letter))?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::super::calendar::testing::timespan;
    use super::super::kernel_testing::scalar;
    use super::*;

    fn format(span: &str, format: &str) -> ScalarValue {
        scalar(&udf(), vec![timespan(span), ScalarValue::from(format)])
    }

    #[test]
    fn examples_from_the_kusto_docs() {
        // let t = time(29.09:00:05.12345);
        // format_timespan(t, 'dd.hh:mm:ss [FF]') -> 29.09:00:05 [12]
        // format_timespan(t, 'ddd.h:mm:ss [fffffff]') -> 029.9:00:05 [1234500]
        assert_eq!(
            format("29.09:00:05.12345", "dd.hh:mm:ss [FF]"),
            ScalarValue::from("29.09:00:05 [12]")
        );
        assert_eq!(
            format("29.09:00:05.12345", "ddd.h:mm:ss [fffffff]"),
            ScalarValue::from("029.9:00:05 [1234500]")
        );
        assert_eq!(format("-1h", "hh:mm"), ScalarValue::from("-01:00"));
    }
}
