//! Shared body of `todatetime` and `totimespan`: parse text (a `string`, or a `dynamic` holding a JSON
//! string) with `kql_types::time`; unparsable text gives null, values already of the target type pass
//! through. Other input types are refused at planning: Kusto documents no numeric conversion.

use std::borrow::Cow;
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, PrimitiveArray};
use datafusion::arrow::datatypes::{ArrowPrimitiveType, DataType};
use datafusion::common::plan_err;
use datafusion::logical_expr::ScalarUDF;

use crate::math::kernel::{KernelUdf, check_arity};

pub(super) fn text_conversion_udf<T: ArrowPrimitiveType<Native = i64>>(
    name: &'static str,
    target: DataType,
    parse: fn(&str) -> Option<i64>,
) -> Arc<ScalarUDF> {
    let target_for_coerce = target.clone();
    KernelUdf::new(
        name,
        move |types| {
            check_arity(name, types, 1, 1)?;
            match &types[0] {
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null => {
                    Ok(vec![DataType::Utf8])
                }
                t if std::mem::discriminant(t) == std::mem::discriminant(&target_for_coerce) => {
                    Ok(vec![target_for_coerce.clone()])
                }
                other => plan_err!("{name}(): cannot convert {other}; expected a string or dynamic value"),
            }
        },
        move |_| Ok(target.clone()),
        move |args| {
            if !matches!(args[0].data_type(), DataType::Utf8) {
                return Ok(Arc::clone(&args[0]));
            }
            let parsed: PrimitiveArray<T> = args[0]
                .as_string::<i32>()
                .iter()
                .map(|text| text.and_then(|text| parse(&unquote(text))))
                .collect();
            Ok(Arc::new(parsed) as ArrayRef)
        },
    )
    .into_udf()
}

/// A `dynamic` string arrives as JSON text (`"2015-12-31"`); plain strings pass unchanged.
fn unquote(text: &str) -> Cow<'_, str> {
    if !text.trim_start().starts_with('"') {
        return Cow::Borrowed(text);
    }
    serde_json::from_str::<String>(text).map_or(Cow::Borrowed(text), Cow::Owned)
}
