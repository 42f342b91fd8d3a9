//! Shared body of the `binary_*` functions: bitwise operations on longs (Kusto returns long even for
//! int arguments).

use std::sync::Arc;

use datafusion::arrow::array::AsArray;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{KernelUdf, coerce_all_to_long, map_binary, map_unary};

pub(super) fn binary_udf(name: &'static str, op: fn(i64, i64) -> Option<i64>) -> Arc<ScalarUDF> {
    KernelUdf::new(
        name,
        move |types| coerce_all_to_long(name, types, 2),
        |_| Ok(DataType::Int64),
        move |args| {
            let (left, right) = (
                args[0].as_primitive::<Int64Type>(),
                args[1].as_primitive::<Int64Type>(),
            );
            Ok(Arc::new(map_binary::<Int64Type, Int64Type, Int64Type>(
                left, right, op,
            )))
        },
    )
    .into_udf()
}

pub(super) fn unary_udf(name: &'static str, op: fn(i64) -> i64) -> Arc<ScalarUDF> {
    KernelUdf::new(
        name,
        move |types| coerce_all_to_long(name, types, 1),
        |_| Ok(DataType::Int64),
        move |args| {
            Ok(Arc::new(map_unary::<Int64Type, Int64Type>(
                args[0].as_primitive(),
                |v| Some(op(v)),
            )))
        },
    )
    .into_udf()
}

/// The bits to shift by: the docs' `value << (shift%64)` (and `>>`), null for a negative count.
pub(super) fn shift_count(count: i64) -> Option<u32> {
    u32::try_from(count % 64).ok()
}

#[cfg(test)]
pub(super) fn call(udf: &ScalarUDF, args: &[Option<i64>]) -> Option<i64> {
    use datafusion::common::ScalarValue;
    let args = args.iter().map(|&v| ScalarValue::Int64(v)).collect();
    match super::kernel::testing::scalar(udf, args) {
        ScalarValue::Int64(v) => v,
        other => panic!("unexpected {other:?}"),
    }
}
