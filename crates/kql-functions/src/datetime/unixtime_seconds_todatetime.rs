//! `unixtime_seconds_todatetime(count)`: seconds since the Unix epoch as a datetime.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::unixtime::unixtime_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        unixtime_udf(
            "kql_unixtime_seconds_todatetime",
            kql_types::time::NANOS_PER_SECOND,
        )
    )
}

pub(crate) static UNIXTIME_SECONDS_TODATETIME: KustoFunction = KustoFunction::scalar(
    Signature::scalar("unixtime_seconds_todatetime", &[P::Num], R::Fixed(T::DateTime)),
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
        // print date_time = unixtime_seconds_todatetime(1546300800) -> 2019-01-01T00:00:00Z
        assert_eq!(
            scalar(&udf(), vec![ScalarValue::Int64(Some(1546300800))]),
            datetime("2019-01-01")
        );
        // A fractional count keeps its fraction to the tick.
        assert_eq!(
            scalar(&udf(), vec![ScalarValue::Float64(Some(1.5))]),
            datetime("1970-01-01 00:00:01.5")
        );
        assert!(scalar(&udf(), vec![ScalarValue::Int64(None)]).is_null());
    }
}
