//! Shared body of the one-component functions (`getyear`, `dayofmonth`, `hourofday`, ...). They return
//! long: the Kusto engine reports Int64 for `getyear` and `monthofyear` (emulator results in
//! ../shared), although Kusto.Language types them int.

use std::sync::Arc;

use datafusion::arrow::array::AsArray;
use datafusion::arrow::datatypes::{DataType, Int64Type, TimestampNanosecondType};
use datafusion::logical_expr::ScalarUDF;

use super::calendar::{Part, datetime_arg, part_of};
use crate::math::kernel::{KernelUdf, check_arity, map_unary};

pub(super) fn component_udf(name: &'static str, part: Part) -> Arc<ScalarUDF> {
    KernelUdf::new(
        name,
        move |types| {
            check_arity(name, types, 1, 1)?;
            Ok(vec![datetime_arg(name, types, 0)?])
        },
        |_| Ok(DataType::Int64),
        move |args| {
            let datetimes = args[0].as_primitive::<TimestampNanosecondType>();
            Ok(Arc::new(map_unary::<TimestampNanosecondType, Int64Type>(
                datetimes,
                |nanos| Some(part_of(part, nanos)),
            )))
        },
    )
    .into_udf()
}

#[cfg(test)]
pub(super) fn component_of(udf: &ScalarUDF, at: &str) -> Option<i64> {
    use datafusion::common::ScalarValue;
    match super::kernel_testing::scalar(udf, vec![super::calendar::testing::datetime(at)]) {
        ScalarValue::Int64(v) => v,
        other => panic!("unexpected {other:?}"),
    }
}
