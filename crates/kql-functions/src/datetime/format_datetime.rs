//! `format_datetime(datetime, format)`: the datetime as text in a custom format (`yyyy-MM-dd HH:mm`).

use std::fmt::Write;
use std::sync::Arc;

use chrono::{Datelike, Timelike};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, TimestampNanosecondType};
use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::ScalarUDF;
use kql_types::time::{NANOS_PER_SECOND, NANOS_PER_TICK};

use super::calendar::{datetime_arg, string_arg, to_naive};
use super::format_spec::{FormatCache, Token, write_fraction};
use crate::declare::*;
use crate::math::kernel::{KernelUdf, check_arity};

const NAME: &str = "kql_format_datetime";
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        KernelUdf::new(
            NAME,
            |types| {
                check_arity(NAME, types, 2, 2)?;
                Ok(vec![datetime_arg(NAME, types, 0)?, string_arg(NAME, types, 1)?])
            },
            |_| Ok(DataType::Utf8),
            kernel,
        )
        .into_udf()
    )
}

pub(crate) static FORMAT_DATETIME: KustoFunction = KustoFunction::scalar(
    Signature::scalar("format_datetime", &[P::DateTime, P::Str], R::Fixed(T::String)).named(N::FirstArgument),
    udf,
);

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    let datetimes = args[0].as_primitive::<TimestampNanosecondType>();
    let formats = args[1].as_string::<i32>();
    let mut cache = FormatCache::default();
    let mut out = StringBuilder::with_capacity(datetimes.len(), datetimes.len() * 24);
    for row in 0..datetimes.len() {
        if datetimes.is_null(row) || formats.is_null(row) {
            out.append_null();
            continue;
        }
        write_datetime(&mut out, datetimes.value(row), cache.tokens(formats.value(row)))
            .map_err(|e| DataFusionError::Execution(format!("{NAME}(): {e}")))?;
        out.append_value("");
    }
    Ok(Arc::new(out.finish()))
}

fn write_datetime(out: &mut impl Write, nanos: i64, tokens: &[Token]) -> std::fmt::Result {
    let datetime = to_naive(nanos);
    let ticks = nanos.rem_euclid(NANOS_PER_SECOND) / NANOS_PER_TICK;
    for token in tokens {
        let &Token::Field { letter, count } = token else {
            if let Token::Literal(c) = token {
                out.write_char(*c)?;
            }
            continue;
        };
        let hour12 = match datetime.hour() % 12 {
            0 => 12,
            h => h,
        };
        match (letter, count) {
            (b'd', 1 | 2) => write!(out, "{:0count$}", datetime.day())?,
            (b'd', 3) => out.write_str(&WEEKDAYS[datetime.weekday().num_days_from_monday() as usize][..3])?,
            (b'd', _) => out.write_str(WEEKDAYS[datetime.weekday().num_days_from_monday() as usize])?,
            (b'M', 1 | 2) => write!(out, "{:0count$}", datetime.month())?,
            (b'M', 3) => out.write_str(&MONTHS[datetime.month0() as usize][..3])?,
            (b'M', _) => out.write_str(MONTHS[datetime.month0() as usize])?,
            // "y: The year, from 0 to 99" (1900 -> 0, 2009 -> 9); longer runs pad the full year.
            (b'y', 1 | 2) => write!(out, "{:0count$}", datetime.year() % 100)?,
            (b'y', _) => write!(out, "{:0count$}", datetime.year())?,
            (b'h', _) => write!(out, "{hour12:0width$}", width = count.min(2))?,
            (b'H', _) => write!(out, "{:0width$}", datetime.hour(), width = count.min(2))?,
            (b'm', _) => write!(out, "{:0width$}", datetime.minute(), width = count.min(2))?,
            (b's', _) => write!(out, "{:0width$}", datetime.second(), width = count.min(2))?,
            (b'f', _) => write_fraction(out, ticks, count, false)?,
            (b'F', _) => write_fraction(out, ticks, count, true)?,
            (b't', 1) => out.write_str(if datetime.hour() < 12 { "A" } else { "P" })?,
            (b't', _) => out.write_str(if datetime.hour() < 12 { "AM" } else { "PM" })?,
            _ => unreachable!("format_spec only yields specifier letters"),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{StringArray, TimestampNanosecondArray};
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::super::calendar::testing::{datetime, nanos};
    use super::super::kernel_testing::{array, scalar};
    use super::*;

    fn format(at: &str, format: &str) -> ScalarValue {
        scalar(&udf(), vec![datetime(at), ScalarValue::from(format)])
    }

    #[test]
    fn examples_from_the_kusto_docs() {
        // let dt = datetime(2017-01-29 09:00:05);
        // format_datetime(dt,'yy-MM-dd [HH:mm:ss]') -> 17-01-29 [09:00:05]
        // format_datetime(dt, 'yyyy-M-dd [H:mm:ss]') -> 2017-1-29 [9:00:05]
        // format_datetime(dt, 'yy-MM-dd [hh:mm:ss tt]') -> 17-01-29 [09:00:05 AM]
        assert_eq!(
            format("2017-01-29 09:00:05", "yy-MM-dd [HH:mm:ss]"),
            ScalarValue::from("17-01-29 [09:00:05]")
        );
        assert_eq!(
            format("2017-01-29 09:00:05", "yyyy-M-dd [H:mm:ss]"),
            ScalarValue::from("2017-1-29 [9:00:05]")
        );
        assert_eq!(
            format("2017-01-29 09:00:05", "yy-MM-dd [hh:mm:ss tt]"),
            ScalarValue::from("17-01-29 [09:00:05 AM]")
        );
    }

    #[test]
    fn specifier_table_examples() {
        // f of 13:45:30.6170000 -> 6; FF of 13:45:30.0050000 -> (no output); hh of 13:45:30 -> 01;
        // y of 1900-01-01 -> 0; yyyy of 0900... (outside the nanosecond range) ; fffffff of .0001150 -> 0001150
        assert_eq!(format("2009-06-15T13:45:30.617", "f"), ScalarValue::from("6"));
        assert_eq!(format("2009-06-15T13:45:30.005", "FF"), ScalarValue::from(""));
        assert_eq!(format("2009-06-15T13:45:30", "hh tt"), ScalarValue::from("01 PM"));
        assert_eq!(format("1900-01-01", "y"), ScalarValue::from("0"));
        assert_eq!(
            format("2009-06-15T13:45:30.000115", "fffffff"),
            ScalarValue::from("0001150")
        );
    }

    #[test]
    fn per_row_formats_and_nulls() {
        let values: ArrayRef = Arc::new(TimestampNanosecondArray::from(vec![
            Some(nanos("2020-02-03")),
            None,
        ]));
        let formats: ArrayRef = Arc::new(StringArray::from(vec!["dd/MM/yyyy", "yyyy"]));
        let out = array(
            &udf(),
            vec![ColumnarValue::Array(values), ColumnarValue::Array(formats)],
        );
        assert_eq!(
            out.as_string::<i32>(),
            &StringArray::from(vec![Some("03/02/2020"), None])
        );
    }
}
