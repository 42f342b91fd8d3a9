//! `datetime_local_to_utc(from, timezone)`: the UTC instant of a wall-clock time in an IANA zone.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::timezone::{conversion_udf, local_to_utc};
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        conversion_udf("kql_datetime_local_to_utc", local_to_utc)
    )
}

pub(crate) static DATETIME_LOCAL_TO_UTC: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "datetime_local_to_utc",
        &[P::DateTime, P::Str],
        R::Fixed(T::DateTime),
    ),
    udf,
);

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::array::{ArrayRef, AsArray, StringArray, TimestampNanosecondArray};
    use datafusion::arrow::datatypes::TimestampNanosecondType;
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::super::calendar::testing::{datetime, nanos};
    use super::super::kernel_testing::{array, scalar};
    use super::*;

    #[test]
    fn example_from_the_kusto_docs_with_a_zone_per_row() {
        // 2020-02-02 20:02:20 local is 19:02:20 UTC in Europe/Paris, 2020-02-03 02:02:20 in
        // America/Chicago and 2020-02-03 04:02:20 in US/Pacific.
        let zones: ArrayRef = Arc::new(StringArray::from(vec![
            "US/Pacific",
            "America/Chicago",
            "Europe/Paris",
        ]));
        let local = ScalarValue::TimestampNanosecond(Some(nanos("2020-02-02 20:02:20")), None);
        let out = array(
            &udf(),
            vec![ColumnarValue::Scalar(local), ColumnarValue::Array(zones)],
        );
        let expected = TimestampNanosecondArray::from(vec![
            nanos("2020-02-03 04:02:20"),
            nanos("2020-02-03 02:02:20"),
            nanos("2020-02-02 19:02:20"),
        ]);
        assert_eq!(out.as_primitive::<TimestampNanosecondType>(), &expected);
    }

    #[test]
    fn brussels_around_the_spring_transition_from_the_kusto_docs() {
        // 01:00 -> 00:00, 02:00 (skipped by the clocks) -> 00:00, 03:00 -> 01:00, 04:00 -> 02:00.
        let to_utc = |local| {
            scalar(
                &udf(),
                vec![datetime(local), ScalarValue::from("Europe/Brussels")],
            )
        };
        assert_eq!(to_utc("2022-03-27 01:00"), datetime("2022-03-27 00:00"));
        assert_eq!(to_utc("2022-03-27 02:00"), datetime("2022-03-27 00:00"));
        assert_eq!(to_utc("2022-03-27 03:00"), datetime("2022-03-27 01:00"));
        assert_eq!(to_utc("2022-03-27 04:00"), datetime("2022-03-27 02:00"));
    }

    #[test]
    fn a_repeated_hour_is_read_as_standard_time() {
        // On 2022-10-30 Brussels clocks went from 03:00 CEST back to 02:00 CET: 02:30 happened twice.
        // The docs show no such case; .NET's TimeZoneInfo takes the standard-time reading, 01:30 UTC.
        let to_utc = scalar(
            &udf(),
            vec![datetime("2022-10-30 02:30"), ScalarValue::from("Europe/Brussels")],
        );
        assert_eq!(to_utc, datetime("2022-10-30 01:30"));
    }
}
