//! Shared body of `startof{day,week,month,year}(dt[, offset])` and `endof...`: the first tick of the
//! period `offset` periods away, or its last tick (one 100 ns tick before the next period starts).

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, TimestampNanosecondArray};
use datafusion::arrow::datatypes::{Int64Type, TimestampNanosecondType};
use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;
use kql_types::time::NANOS_PER_TICK;

use super::calendar::{DATETIME, Period, datetime_arg, integer_arg};
use crate::math::kernel::{KernelUdf, check_arity, map_binary, map_unary};

#[derive(Debug, Clone, Copy)]
pub(super) enum Edge {
    Start,
    End,
}

pub(super) fn boundary_udf(name: &'static str, period: Period, edge: Edge) -> Arc<ScalarUDF> {
    KernelUdf::new(
        name,
        move |types| {
            check_arity(name, types, 1, 2)?;
            let mut coerced = vec![datetime_arg(name, types, 0)?];
            if types.len() == 2 {
                coerced.push(integer_arg(name, types, 1)?);
            }
            Ok(coerced)
        },
        |_| Ok(DATETIME),
        move |args| boundaries(args, period, edge),
    )
    .into_udf()
}

fn boundary(period: Period, edge: Edge, nanos: i64, offset: i64) -> Option<i64> {
    match edge {
        Edge::Start => period.start(nanos, offset),
        Edge::End => period
            .start(nanos, offset.checked_add(1)?)?
            .checked_sub(NANOS_PER_TICK),
    }
}

fn boundaries(args: &[ArrayRef], period: Period, edge: Edge) -> Result<ArrayRef> {
    let datetimes = args[0].as_primitive::<TimestampNanosecondType>();
    let out: TimestampNanosecondArray = match args.get(1) {
        Some(offsets) => map_binary::<TimestampNanosecondType, Int64Type, TimestampNanosecondType>(
            datetimes,
            offsets.as_primitive(),
            |nanos, offset| boundary(period, edge, nanos, offset),
        ),
        None => map_unary::<TimestampNanosecondType, TimestampNanosecondType>(datetimes, |nanos| {
            boundary(period, edge, nanos, 0)
        }),
    };
    Ok(Arc::new(out))
}

/// Checks a `startof*` / `endof*` UDF against its Kusto docs example, which applies it to
/// `datetime(2017-01-01 10:10:17)` with offsets -1, 0 (omitted) and 1: `expected` holds those three
/// results in order. A null datetime gives null.
#[cfg(test)]
pub(super) fn assert_docs_example(udf: &ScalarUDF, expected: [&str; 3]) {
    use datafusion::common::ScalarValue;

    use super::calendar::testing::datetime;

    let at = datetime("2017-01-01 10:10:17");
    for (offset, expected) in [Some(-1), None, Some(1)].into_iter().zip(expected) {
        let mut args = vec![at.clone()];
        args.extend(offset.map(|o| ScalarValue::Int64(Some(o))));
        assert_eq!(
            super::kernel_testing::scalar(udf, args),
            datetime(expected),
            "{}(.., {offset:?})",
            udf.name()
        );
    }
    let null = super::kernel_testing::scalar(udf, vec![ScalarValue::TimestampNanosecond(None, None)]);
    assert!(null.is_null());
}
