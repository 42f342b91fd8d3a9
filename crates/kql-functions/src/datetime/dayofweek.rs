//! `dayofweek(datetime)`: the days since the preceding Sunday, as a timespan (Sunday is `0.00:00:00`).

use std::sync::Arc;

use datafusion::arrow::array::AsArray;
use datafusion::arrow::datatypes::{DurationNanosecondType, TimestampNanosecondType};
use datafusion::logical_expr::ScalarUDF;
use kql_types::time::NANOS_PER_DAY;

use super::calendar::{TIMESPAN, datetime_arg, start_of_week};
use crate::declare::*;
use crate::math::kernel::{KernelUdf, check_arity, map_unary};

const NAME: &str = "kql_dayofweek";

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        KernelUdf::new(
            NAME,
            |types| {
                check_arity(NAME, types, 1, 1)?;
                Ok(vec![datetime_arg(NAME, types, 0)?])
            },
            |_| Ok(TIMESPAN),
            |args| {
                let datetimes = args[0].as_primitive::<TimestampNanosecondType>();
                Ok(Arc::new(map_unary::<
                    TimestampNanosecondType,
                    DurationNanosecondType,
                >(datetimes, |nanos| {
                    let days = (nanos.div_euclid(NANOS_PER_DAY) * NANOS_PER_DAY - start_of_week(nanos))
                        / NANOS_PER_DAY;
                    Some(days * NANOS_PER_DAY)
                })))
            },
        )
        .into_udf()
    )
}

pub(crate) static DAYOFWEEK: KustoFunction = KustoFunction::scalar(
    Signature::scalar("dayofweek", &[P::DateTime], R::Fixed(T::TimeSpan)),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::calendar::testing::{datetime, timespan};
    use super::super::kernel_testing::scalar;
    use super::*;

    #[test]
    fn examples_from_the_kusto_docs() {
        // dayofweek(datetime(1947-11-30 10:00:05)) -> 00:00:00 (Sunday)
        // dayofweek(datetime(1970-05-11)) -> 1.00:00:00 (Monday)
        assert_eq!(
            scalar(&udf(), vec![datetime("1947-11-30 10:00:05")]),
            timespan("0d")
        );
        assert_eq!(scalar(&udf(), vec![datetime("1970-05-11")]), timespan("1d"));
        assert_eq!(scalar(&udf(), vec![datetime("2025-06-14 23:00")]), timespan("6d"));
    }
}
