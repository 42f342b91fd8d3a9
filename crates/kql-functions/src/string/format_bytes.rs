//! `format_bytes(size[, precision[, units]])`: a size in bytes as text with a 1024-based unit
//! (`format_bytes(10332, 1)` is "10.1 KB"). Without `units` the largest unit that keeps the value at
//! least 1 is chosen; the value is rounded to `precision` decimals (default 0) and printed without
//! trailing zeros, as .NET prints a rounded double. The docs leave open a precision outside what
//! .NET rounds a double to (0 to 15 digits) and units spelt otherwise than they list them, so both
//! are refused.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{Param, Params, define, string_rows};
use crate::declare::*;

const UNITS: [&str; 7] = ["Bytes", "KB", "MB", "GB", "TB", "PB", "EB"];
/// The most digits .NET rounds a double to (`Math.Round`).
const MAX_PRECISION: usize = 15;

/// `kql_format_bytes(size: numeric[, precision: Int64[, units: Utf8]]) -> Utf8`.
pub fn format_bytes() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::optional(&[Param::Any], &[Param::Long, Param::Str]);
        define("kql_format_bytes", params, DataType::Utf8, |args| {
            let sizes = cast(&args.any(0)?, &DataType::Float64)?;
            let sizes = sizes.as_primitive::<Float64Type>();
            let precision = if args.has(1) { Some(args.long(1)?) } else { None };
            let units = if args.has(2) { Some(args.str(2)?) } else { None };
            string_rows(args, |row, out| {
                if sizes.is_null(row) {
                    return Ok(());
                }
                let digits = precision.as_ref().and_then(|p| p.get(row)).unwrap_or(0);
                let Ok(digits @ 0..=MAX_PRECISION) = usize::try_from(digits) else {
                    return exec_err!(
                        "not supported: format_bytes() with precision {digits}: the docs do not say what a \
                         precision outside 0 to {MAX_PRECISION} digits gives"
                    );
                };
                let unit = units.as_ref().map_or("", |u| u.get(row));
                out.push_str(&format_size(sizes.value(row), digits, unit)?);
                Ok(())
            })
        })
    })
}

pub(crate) static FORMAT_BYTES: KustoFunction = KustoFunction::scalar(
    Signature::scalar("format_bytes", &[P::Num, P::Integer, P::Str], R::Fixed(T::String)).optional_from(1),
    format_bytes,
);

fn format_size(size: f64, digits: usize, unit: &str) -> Result<String> {
    let exponent = if unit.is_empty() {
        let mut exponent = 0;
        while exponent + 1 < UNITS.len() && size.abs() >= 1024f64.powi(exponent as i32 + 1) {
            exponent += 1;
        }
        exponent
    } else {
        match UNITS.iter().position(|u| *u == unit) {
            Some(exponent) => exponent,
            None => {
                return exec_err!(
                    "not supported: format_bytes() with the units `{unit}`: the docs list {} (in that \
                     letter case) and do not say what other units give",
                    UNITS.join(", ")
                );
            }
        }
    };
    let value = size / 1024f64.powi(exponent as i32);
    let mut text = format!("{value:.digits$}");
    if text.contains('.') {
        text.truncate(text.trim_end_matches('0').trim_end_matches('.').len());
    }
    if text == "-0" {
        text = "0".into();
    }
    Ok(format!("{text} {}", UNITS[exponent]))
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::*;
    use crate::string::kernel::testing::{call, call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // format-bytes-function: 564 Bytes | 10.1 KB | 19 MB | 19.08 MB | 19541 KB.
        let size = |v: i64| ScalarValue::Int64(Some(v));
        assert_eq!(call_scalars(&format_bytes(), vec![size(564)]), s("564 Bytes"));
        assert_eq!(
            call_scalars(&format_bytes(), vec![size(10332), long(1)]),
            s("10.1 KB")
        );
        assert_eq!(call_scalars(&format_bytes(), vec![size(20010332)]), s("19 MB"));
        assert_eq!(
            call_scalars(&format_bytes(), vec![size(20010332), long(2)]),
            s("19.08 MB")
        );
        assert_eq!(
            call_scalars(&format_bytes(), vec![size(20010332), long(0), s("KB")]),
            s("19541 KB")
        );
    }

    #[test]
    fn unknown_units_and_precisions_are_an_error_not_a_guess() {
        assert!(format_size(1.0, 0, "KiB").is_err());
        assert!(format_size(1.0, 0, "kb").is_err());
        let refused = |precision: i64| {
            let args = [ScalarValue::Int64(Some(1024)), long(precision)].map(ColumnarValue::Scalar);
            call(&format_bytes(), args.to_vec()).is_err()
        };
        assert!(refused(-1) && refused(16) && !refused(15));
    }
}
