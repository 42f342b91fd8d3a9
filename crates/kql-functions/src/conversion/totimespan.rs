//! `totimespan(value)`: a string (or dynamic string) parsed as a timespan (`1.02:03:04`, `2d`, ...);
//! null when it is not one.

use std::sync::Arc;

use datafusion::arrow::datatypes::DurationNanosecondType;
use datafusion::logical_expr::ScalarUDF;

use super::text_conversion::text_conversion_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        text_conversion_udf::<DurationNanosecondType>(
            "kql_totimespan",
            T::TimeSpan.arrow_type(),
            kql_types::time::parse_timespan
        )
    )
}

pub(crate) static TOTIMESPAN: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("totimespan", &[P::Any], R::Fixed(T::TimeSpan))
        .named(N::FirstArgument)
        .aliases(&["totime"]),
    super::lower_conversion,
    super::CONVERSION_UDFS,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::datetime::calendar_testing::timespan;
    use crate::math::kernel::testing::scalar;

    #[test]
    fn example_from_the_kusto_docs() {
        // totimespan("0.00:01:00") == time(1min)
        assert_eq!(
            scalar(&udf(), vec![ScalarValue::from("0.00:01:00")]),
            timespan("1m")
        );
        assert_eq!(scalar(&udf(), vec![ScalarValue::from("\"2d\"")]), timespan("2d"));
        assert!(scalar(&udf(), vec![ScalarValue::from("00:01:00 junk")]).is_null());
        assert_eq!(scalar(&udf(), vec![timespan("1h")]), timespan("1h"));
    }
}
