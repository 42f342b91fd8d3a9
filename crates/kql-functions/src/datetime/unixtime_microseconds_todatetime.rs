//! `unixtime_microseconds_todatetime(count)`: microseconds since the Unix epoch as a datetime.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::unixtime::unixtime_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        unixtime_udf(
            "kql_unixtime_microseconds_todatetime",
            kql_types::time::NANOS_PER_MICRO,
        )
    )
}

pub(crate) static UNIXTIME_MICROSECONDS_TODATETIME: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "unixtime_microseconds_todatetime",
        &[P::Num],
        R::Fixed(T::DateTime),
    ),
    udf,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::super::calendar::testing::datetime;
    use super::super::kernel_testing::scalar;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // print date_time = unixtime_microseconds_todatetime(1546300800000000) -> 2019-01-01T00:00:00Z (emulator)
        assert_eq!(
            scalar(&udf(), vec![ScalarValue::Int64(Some(1546300800000000))]),
            datetime("2019-01-01")
        );
        assert!(scalar(&udf(), vec![ScalarValue::Int64(None)]).is_null());
    }
}
