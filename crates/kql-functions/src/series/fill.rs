//! `series_fill_forward(series [, missing])`, `series_fill_backward(series [, missing])` and
//! `series_fill_const(series, constant [, missing])`: replace the missing (null) elements with the
//! last value before them, the first value after them, or a constant. Forward filling keeps leading
//! nulls and backward filling trailing ones (`series_fill_forward([null,36,null])` is
//! `[null,36,36]`); a value that is not an array gives null.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use serde_json::Value;

use super::{array, null_placeholder_only};
use crate::declare::*;
use crate::dynamic::json::parse;
use crate::string::kernel::{Args, Param, Params, define, optional_string_rows};

/// `kql_series_fill_forward(series: Utf8 (dynamic) [, missing: Utf8 (dynamic)]) -> Utf8 (dynamic)`.
pub fn series_fill_forward() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::optional(&[Param::Str], &[Param::Str]);
        define("kql_series_fill_forward", params, DataType::Utf8, |args| {
            fill_each(args, 1, |items, _| carry(items.iter_mut()))
        })
    })
}

pub(crate) static SERIES_FILL_FORWARD: KustoFunction = KustoFunction::scalar(
    // series, missing_value_placeholder.
    Signature::scalar(
        "series_fill_forward",
        &[P::Dynamic, P::Dynamic],
        R::Fixed(T::Dynamic),
    )
    .optional_from(1),
    series_fill_forward,
);

/// `kql_series_fill_backward(series: Utf8 (dynamic) [, missing: Utf8 (dynamic)]) -> Utf8 (dynamic)`.
pub fn series_fill_backward() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::optional(&[Param::Str], &[Param::Str]);
        define("kql_series_fill_backward", params, DataType::Utf8, |args| {
            fill_each(args, 1, |items, _| carry(items.iter_mut().rev()))
        })
    })
}

pub(crate) static SERIES_FILL_BACKWARD: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "series_fill_backward",
        &[P::Dynamic, P::Dynamic],
        R::Fixed(T::Dynamic),
    )
    .optional_from(1),
    series_fill_backward,
);

/// `kql_series_fill_const(series: Utf8 (dynamic), constant: Utf8 (dynamic) [, missing: Utf8 (dynamic)])
/// -> Utf8 (dynamic)`.
pub fn series_fill_const() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::optional(&[Param::Str, Param::Str], &[Param::Str]);
        define("kql_series_fill_const", params, DataType::Utf8, |args| {
            let constant = args.str(1)?;
            fill_each(args, 2, |items, row| {
                let constant = constant.get_opt(row).map_or(Value::Null, parse);
                for item in items.iter_mut().filter(|item| item.is_null()) {
                    *item = constant.clone();
                }
            })
        })
    })
}

pub(crate) static SERIES_FILL_CONST: KustoFunction = KustoFunction::scalar(
    // series, constant_value, missing_value_placeholder.
    Signature::scalar(
        "series_fill_const",
        &[P::Dynamic, P::Dynamic, P::Dynamic],
        R::Fixed(T::Dynamic),
    )
    .optional_from(2),
    series_fill_const,
);

/// Fills every row's array in place with `fill(items, row)`; the placeholder is argument `placeholder`.
fn fill_each(args: &Args, placeholder: usize, fill: impl Fn(&mut [Value], usize)) -> Result<ColumnarValue> {
    let series = args.str(0)?;
    let placeholder = args.has(placeholder).then(|| args.str(placeholder)).transpose()?;
    optional_string_rows(args, |row| {
        if let Some(placeholder) = &placeholder {
            null_placeholder_only(args.name(), placeholder.get_opt(row))?;
        }
        let Some(mut items) = array(series.get_opt(row)) else {
            return Ok(None);
        };
        fill(&mut items, row);
        Ok(Some(Value::Array(items).to_string()))
    })
}

/// Replaces each null with the last non-null value the iteration has passed.
fn carry<'a>(items: impl Iterator<Item = &'a mut Value>) {
    let mut last = Value::Null;
    for item in items {
        if item.is_null() {
            item.clone_from(&last);
        } else {
            last.clone_from(item);
        }
    }
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::*;
    use crate::string::kernel::testing::{call, call_scalars, s};

    #[test]
    fn docs_examples() {
        assert_eq!(
            call_scalars(
                &series_fill_forward(),
                vec![s("[null,null,36,41,null,null,16,61,33,null,null]")]
            ),
            s("[null,null,36,41,41,41,16,61,33,33,33]")
        );
        assert_eq!(
            call_scalars(
                &series_fill_backward(),
                vec![s("[111,null,36,41,null,null,16,61,33,null,null]")]
            ),
            s("[111,36,36,41,16,16,16,61,33,null,null]")
        );
        let series = s("[111,null,36,41,23,null,16,61,33,null,null]");
        assert_eq!(
            call_scalars(&series_fill_const(), vec![series.clone(), s("0.0")]),
            s("[111,0.0,36,41,23,0.0,16,61,33,0.0,0.0]")
        );
        assert_eq!(
            call_scalars(&series_fill_const(), vec![series, s("-1")]),
            s("[111,-1,36,41,23,-1,16,61,33,-1,-1]")
        );
    }

    #[test]
    fn an_explicit_null_placeholder_is_the_default() {
        assert_eq!(
            call_scalars(
                &series_fill_forward(),
                vec![s("[1,null]"), ScalarValue::Utf8(None)]
            ),
            s("[1,1]")
        );
        let numeric = vec![ColumnarValue::Scalar(s("[1,0]")), ColumnarValue::Scalar(s("0"))];
        assert!(call(&series_fill_forward(), numeric).is_err());
    }
}
