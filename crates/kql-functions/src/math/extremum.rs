//! Shared body of `min_of` and `max_of`: the least or greatest of several values, row by row.
//! Null arguments are ignored; the result is null only when every argument is null (Kusto docs).

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, BooleanArray};
use datafusion::arrow::compute::kernels::boolean::{and, and_kleene, is_not_null, is_null, or};
use datafusion::arrow::compute::kernels::cmp::{gt, lt};
use datafusion::arrow::compute::kernels::zip::zip;
use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{KernelUdf, Numeric};

#[derive(Clone, Copy)]
pub(super) enum Extremum {
    Min,
    Max,
}

pub(super) fn extremum_udf(name: &'static str, extremum: Extremum) -> Arc<ScalarUDF> {
    KernelUdf::new(
        name,
        move |types| common_type(name, types).map(|common| vec![common; types.len()]),
        move |types| common_type(name, types),
        move |args| pick(args, extremum),
    )
    .into_udf()
}

/// One type all arguments convert to: numbers widen int -> long -> real; other kinds must agree.
fn common_type(name: &str, types: &[DataType]) -> Result<DataType> {
    if types.len() < 2 {
        return plan_err!("{name}() expects at least 2 arguments, got {}", types.len());
    }
    let known: Vec<&DataType> = types.iter().filter(|t| !t.is_null()).collect();
    let Some(first) = known.first() else {
        return Ok(DataType::Int64);
    };
    if let Some(widest) = known.iter().map(|t| Numeric::of(t)).collect::<Option<Vec<_>>>() {
        return Ok(widest
            .into_iter()
            .max()
            .map_or(DataType::Int64, Numeric::arrow_type));
    }
    let kind = |t: &DataType| match t {
        DataType::Timestamp(..) => Some(DataType::Timestamp(TimeUnit::Nanosecond, None)),
        DataType::Duration(_) => Some(DataType::Duration(TimeUnit::Nanosecond)),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Some(DataType::Utf8),
        DataType::Boolean => Some(DataType::Boolean),
        _ => None,
    };
    match kind(first) {
        Some(target) if known.iter().all(|t| kind(t).as_ref() == Some(&target)) => Ok(target),
        _ => plan_err!("{name}(): arguments must all be numbers, or all of one type, got {types:?}"),
    }
}

fn pick(args: &[ArrayRef], extremum: Extremum) -> Result<ArrayRef> {
    let mut best = Arc::clone(&args[0]);
    for candidate in &args[1..] {
        let better = match extremum {
            Extremum::Min => lt(candidate, &best)?,
            Extremum::Max => gt(candidate, &best)?,
        };
        // A comparison with a null is null; a null `best` loses to any non-null candidate.
        let fills_null = and(&is_null(&best)?, &is_not_null(candidate)?)?;
        let better = and_kleene(&better, &is_not_null(&better)?)?;
        let take: BooleanArray = or(&better, &fills_null)?;
        best = zip(&take, candidate, &best)?;
    }
    Ok(best)
}
