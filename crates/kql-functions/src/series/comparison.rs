//! `series_equals`, `series_not_equals`, `series_greater`, `series_greater_equals`, `series_less`,
//! `series_less_equals`: element-wise comparison of two series (or a series and a number) giving an
//! array of bools; a non-numeric or missing element gives null
//! (`series_greater([1,2,4], [4,2,1])` is `[false,false,true]`).

use std::cmp::Ordering;
use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::Num;
use super::elementwise::binary;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define};

const PARAMS: Params = Params::fixed(&[Param::Str, Param::Str]);

/// The order of two elements: exactly for two longs, as reals otherwise; `None` when a real is NaN.
fn compare(left: Num, right: Num) -> Option<Ordering> {
    match (left, right) {
        (Num::Long(l), Num::Long(r)) => Some(l.cmp(&r)),
        _ => left.as_f64().partial_cmp(&right.as_f64()),
    }
}

fn element(left: Num, right: Num, holds: fn(Ordering) -> bool) -> Value {
    compare(left, right).map_or(Value::Null, |order| Value::Bool(holds(order)))
}

/// `kql_series_equals(series1: Utf8 (dynamic), series2: Utf8 (dynamic)) -> Utf8 (dynamic)`.
pub fn series_equals() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_series_equals", PARAMS, DataType::Utf8, |args| {
            binary(args, |l, r| Ok(element(l, r, Ordering::is_eq)))
        })
    )
}

pub(crate) static SERIES_EQUALS: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_equals", &[P::Dynamic, P::Dynamic], R::Fixed(T::Dynamic)),
    series_equals,
);

/// `kql_series_not_equals(series1: Utf8 (dynamic), series2: Utf8 (dynamic)) -> Utf8 (dynamic)`.
pub fn series_not_equals() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_series_not_equals", PARAMS, DataType::Utf8, |args| {
            binary(args, |l, r| Ok(element(l, r, Ordering::is_ne)))
        })
    )
}

pub(crate) static SERIES_NOT_EQUALS: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "series_not_equals",
        &[P::Dynamic, P::Dynamic],
        R::Fixed(T::Dynamic),
    ),
    series_not_equals,
);

/// `kql_series_greater(series1: Utf8 (dynamic), series2: Utf8 (dynamic)) -> Utf8 (dynamic)`.
pub fn series_greater() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_series_greater", PARAMS, DataType::Utf8, |args| {
            binary(args, |l, r| Ok(element(l, r, Ordering::is_gt)))
        })
    )
}

pub(crate) static SERIES_GREATER: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_greater", &[P::Dynamic, P::Dynamic], R::Fixed(T::Dynamic)),
    series_greater,
);

/// `kql_series_greater_equals(series1: Utf8 (dynamic), series2: Utf8 (dynamic)) -> Utf8 (dynamic)`.
pub fn series_greater_equals() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_series_greater_equals", PARAMS, DataType::Utf8, |args| {
            binary(args, |l, r| Ok(element(l, r, Ordering::is_ge)))
        })
    )
}

pub(crate) static SERIES_GREATER_EQUALS: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "series_greater_equals",
        &[P::Dynamic, P::Dynamic],
        R::Fixed(T::Dynamic),
    ),
    series_greater_equals,
);

/// `kql_series_less(series1: Utf8 (dynamic), series2: Utf8 (dynamic)) -> Utf8 (dynamic)`.
pub fn series_less() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_series_less", PARAMS, DataType::Utf8, |args| {
            binary(args, |l, r| Ok(element(l, r, Ordering::is_lt)))
        })
    )
}

pub(crate) static SERIES_LESS: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_less", &[P::Dynamic, P::Dynamic], R::Fixed(T::Dynamic)),
    series_less,
);

/// `kql_series_less_equals(series1: Utf8 (dynamic), series2: Utf8 (dynamic)) -> Utf8 (dynamic)`.
pub fn series_less_equals() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_series_less_equals", PARAMS, DataType::Utf8, |args| {
            binary(args, |l, r| Ok(element(l, r, Ordering::is_le)))
        })
    )
}

pub(crate) static SERIES_LESS_EQUALS: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "series_less_equals",
        &[P::Dynamic, P::Dynamic],
        R::Fixed(T::Dynamic),
    ),
    series_less_equals,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // The comparison docs all use s1 = [1,2,4], s2 = [4,2,1].
        let compare = |udf: Arc<ScalarUDF>| call_scalars(&udf, vec![s("[1,2,4]"), s("[4,2,1]")]);
        assert_eq!(compare(series_greater()), s("[false,false,true]"));
        assert_eq!(compare(series_greater_equals()), s("[false,true,true]"));
        assert_eq!(compare(series_less()), s("[true,false,false]"));
        assert_eq!(compare(series_less_equals()), s("[true,true,false]"));
        assert_eq!(compare(series_equals()), s("[false,true,false]"));
        assert_eq!(compare(series_not_equals()), s("[true,false,true]"));
    }

    #[test]
    fn a_number_compares_with_every_element() {
        assert_eq!(
            call_scalars(&series_greater_equals(), vec![s("[1,2.5,null]"), s("1.5")]),
            s("[false,true,null]")
        );
    }
}
