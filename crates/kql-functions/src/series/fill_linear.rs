//! `series_fill_linear(series [, missing [, fill_edges [, constant]]])`: replaces missing (null)
//! elements between two values by linear interpolation; with `fill_edges` (default true) leading and
//! trailing gaps take the nearest value; an array with no value at all is filled with `constant`
//! (default `0.0`; a null constant keeps the nulls). When every value is a long the interpolated values
//! are longs too, cut toward zero as the docs' example shows (`[41,null,null,16]` gives `[41,32,24,16]`).

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::{Num, array, null_placeholder_only, real};
use crate::declare::*;
use crate::dynamic::json::parse;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_series_fill_linear(series: Utf8 (dynamic) [, missing: Utf8 (dynamic) [, fill_edges: Boolean [,
/// constant: Utf8 (dynamic)]]]) -> Utf8 (dynamic)`.
pub fn series_fill_linear() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::optional(&[Param::Str], &[Param::Str, Param::Any, Param::Str]);
        define("kql_series_fill_linear", params, DataType::Utf8, |args| {
            let series = args.str(0)?;
            let placeholder = args.has(1).then(|| args.str(1)).transpose()?;
            let fill_edges = args.has(2).then(|| args.any(2)).transpose()?;
            let fill_edges = match &fill_edges {
                Some(array) => match array.as_boolean_opt() {
                    Some(flags) => Some(flags),
                    None => return exec_err!("{}: fill_edges must be a bool", args.name()),
                },
                None => None,
            };
            let constant = args.has(3).then(|| args.str(3)).transpose()?;
            optional_string_rows(args, |row| {
                if let Some(placeholder) = &placeholder {
                    null_placeholder_only(args.name(), placeholder.get_opt(row))?;
                }
                let Some(mut items) = array(series.get_opt(row)) else {
                    return Ok(None);
                };
                let edges = fill_edges.is_none_or(|flags| flags.is_null(row) || flags.value(row));
                let constant = match &constant {
                    Some(constant) => constant.get_opt(row).map_or(Value::Null, parse),
                    None => Value::from(0.0),
                };
                interpolate(args.name(), &mut items, edges, &constant)?;
                Ok(Some(Value::Array(items).to_string()))
            })
        })
    })
}

pub(crate) static SERIES_FILL_LINEAR: KustoFunction = KustoFunction::scalar(
    // series, missing_value_placeholder, fill_edges, constant_value.
    Signature::scalar(
        "series_fill_linear",
        &[P::Dynamic, P::Dynamic, P::Bool, P::Dynamic],
        R::Fixed(T::Dynamic),
    )
    .optional_from(1),
    series_fill_linear,
);

fn interpolate(name: &str, items: &mut [Value], fill_edges: bool, constant: &Value) -> Result<()> {
    let mut known: Vec<(usize, Num)> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match Num::of(item) {
            Some(number) => known.push((index, number)),
            None if item.is_null() => {}
            None => return exec_err!("{name}: element {index} is not a number: {item}"),
        }
    }
    let (Some(&(first, _)), Some(&(last, _))) = (known.first(), known.last()) else {
        items.fill(constant.clone());
        return Ok(());
    };
    let longs = known.iter().all(|(_, number)| matches!(number, Num::Long(_)));
    for pair in known.windows(2) {
        let ((start, from), (end, to)) = (pair[0], pair[1]);
        let (from, to) = (from.as_f64(), to.as_f64());
        for (index, item) in items.iter_mut().enumerate().take(end).skip(start + 1) {
            let fraction = (index - start) as f64 / (end - start) as f64;
            let value = from + (to - from) * fraction;
            *item = if longs {
                Value::from(value.trunc() as i64)
            } else {
                real(name, value)?
            };
        }
    }
    if fill_edges {
        let (head, tail) = (items[first].clone(), items[last].clone());
        items[..first].fill(head);
        items[last + 1..].fill(tail);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    fn fill(args: Vec<ScalarValue>) -> ScalarValue {
        call_scalars(&series_fill_linear(), args)
    }

    #[test]
    fn docs_example_reals() {
        let reals = s("[null,111.0,null,36.0,41.0,null,null,16.0,61.0,33.0,null,null]");
        assert_eq!(
            fill(vec![reals.clone()]),
            s("[111.0,111.0,73.5,36.0,41.0,32.66666666666667,24.333333333333336,16.0,61.0,33.0,33.0,33.0]")
        );
        let no_edges = vec![reals, ScalarValue::Utf8(None), ScalarValue::Boolean(Some(false))];
        assert_eq!(
            fill(no_edges),
            s("[null,111.0,73.5,36.0,41.0,32.66666666666667,24.333333333333336,16.0,61.0,33.0,null,null]")
        );
    }

    #[test]
    fn docs_example_longs_stay_longs() {
        assert_eq!(
            fill(vec![s("[null,111,null,36,41,null,null,16,61,33,null,null]")]),
            s("[111,111,73,36,41,32,24,16,61,33,33,33]")
        );
    }

    #[test]
    fn docs_example_only_missing_values() {
        assert_eq!(fill(vec![s("[null,null,null,null]")]), s("[0.0,0.0,0.0,0.0]"));
        let with_constant = vec![
            s("[null,null]"),
            ScalarValue::Utf8(None),
            ScalarValue::Boolean(Some(true)),
            s("3.14159"),
        ];
        assert_eq!(fill(with_constant), s("[3.14159,3.14159]"));
    }
}
