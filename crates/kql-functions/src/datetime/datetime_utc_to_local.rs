//! `datetime_utc_to_local(from, timezone)`: the wall-clock time in an IANA zone at a UTC instant.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::timezone::{conversion_udf, utc_to_local};
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        conversion_udf("kql_datetime_utc_to_local", utc_to_local)
    )
}

pub(crate) static DATETIME_UTC_TO_LOCAL: KustoFunction = KustoFunction::scalar(
    // Time zones are IANA names (`datetime_list_timezones()`).
    Signature::scalar(
        "datetime_utc_to_local",
        &[P::DateTime, P::Str],
        R::Fixed(T::DateTime),
    ),
    udf,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::super::calendar::testing::datetime;
    use super::super::kernel_testing::{invoke, scalar};
    use super::*;

    fn to_local(utc: &str, zone: &str) -> ScalarValue {
        scalar(&udf(), vec![datetime(utc), ScalarValue::from(zone)])
    }

    #[test]
    fn example_from_the_kusto_docs() {
        // dt=2022-07-11 22:18:48.4678620: pacific_dt=2022-07-11 15:18:48.4678620,
        // canberra_dt=2022-07-12 08:18:48.4678620.
        let utc = "2022-07-11 22:18:48.4678620";
        assert_eq!(
            to_local(utc, "US/Pacific"),
            datetime("2022-07-11 15:18:48.4678620")
        );
        assert_eq!(
            to_local(utc, "Australia/Canberra"),
            datetime("2022-07-12 08:18:48.4678620")
        );
    }

    #[test]
    fn brussels_around_the_spring_transition_from_the_kusto_docs() {
        // BackToLocal column of the datetime_local_to_utc example.
        let zone = "Europe/Brussels";
        assert_eq!(to_local("2022-03-27 00:00", zone), datetime("2022-03-27 01:00"));
        assert_eq!(to_local("2022-03-27 01:00", zone), datetime("2022-03-27 03:00"));
        assert_eq!(to_local("2022-03-27 02:00", zone), datetime("2022-03-27 04:00"));
    }

    #[test]
    fn null_datetime_is_null_and_unknown_zone_is_refused() {
        let null = scalar(
            &udf(),
            vec![
                ScalarValue::TimestampNanosecond(None, None),
                ScalarValue::from("UTC"),
            ],
        );
        assert_eq!(null, ScalarValue::TimestampNanosecond(None, None));
        let args = vec![datetime("2022-01-01"), ScalarValue::from("Mars/Olympus_Mons")];
        let error = invoke(
            &udf(),
            args.into_iter()
                .map(datafusion::logical_expr::ColumnarValue::Scalar)
                .collect(),
        )
        .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("unknown time zone 'Mars/Olympus_Mons'"),
            "{error}"
        );
    }
}
