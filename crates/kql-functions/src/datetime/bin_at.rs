//! `bin_at(value, roundTo, fixed_point)`: like `bin()`, with bins aligned so one starts at `fixed_point`.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::binning::bin_at_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, bin_at_udf("kql_bin_at"))
}

pub(crate) static BIN_AT: KustoFunction = KustoFunction::scalar(
    Signature::scalar("bin_at", &[P::Binnable, P::Binnable, P::Binnable], R::Promoted)
        .named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{ArrayRef, AsArray, TimestampNanosecondArray};
    use datafusion::arrow::datatypes::TimestampNanosecondType;
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::super::calendar::testing::{datetime, nanos, timespan};
    use super::super::kernel_testing::{array, scalar};
    use super::*;

    #[test]
    fn examples_from_the_kusto_docs() {
        // print bin_at(6.5, 2.5, 7) -> 4.5
        let real = |v| ScalarValue::Float64(Some(v));
        assert_eq!(scalar(&udf(), vec![real(6.5), real(2.5), real(7.0)]), real(4.5));
        // print bin_at(time(1h), 1d, 12h) -> -12:00:00
        assert_eq!(
            scalar(&udf(), vec![timespan("1h"), timespan("1d"), timespan("12h")]),
            timespan("-12h")
        );
        // print bin_at(datetime(2017-05-15 10:20:00.0), 1d, datetime(1970-01-01 12:00:00.0)) -> 2017-05-14T12:00:00Z
        let args = vec![
            datetime("2017-05-15 10:20"),
            timespan("1d"),
            datetime("1970-01-01 12:00"),
        ];
        assert_eq!(scalar(&udf(), args), datetime("2017-05-14 12:00"));
        // print bin_at(datetime(2017-05-17 10:20:00.0), 7d, datetime(2017-06-04 00:00:00.0)) -> 2017-05-14T00:00:00Z
        let args = vec![
            datetime("2017-05-17 10:20"),
            timespan("7d"),
            datetime("2017-06-04"),
        ];
        assert_eq!(scalar(&udf(), args), datetime("2017-05-14"));
    }

    #[test]
    fn summarize_example_over_an_array() {
        // ... | summarize TotalEvents=sum(NumOfEvents) by bin_at(Date, 1d, datetime(2018-02-24 15:14:00.0000000))
        // -> bins 2018-02-24T15:14, 2018-02-23T15:14, 2018-02-26T15:14
        let dates = [
            "2018-02-24T15:14",
            "2018-02-24T15:24",
            "2018-02-23T16:14",
            "2018-02-23T17:29",
            "2018-02-26T15:14",
        ];
        let values: ArrayRef = Arc::new(TimestampNanosecondArray::from(dates.map(nanos).to_vec()));
        let args = vec![
            ColumnarValue::Array(values),
            ColumnarValue::Scalar(timespan("1d")),
            ColumnarValue::Scalar(datetime("2018-02-24 15:14")),
        ];
        let out = array(&udf(), args);
        let expected = [
            "2018-02-24T15:14",
            "2018-02-24T15:14",
            "2018-02-23T15:14",
            "2018-02-23T15:14",
            "2018-02-26T15:14",
        ];
        assert_eq!(
            out.as_primitive::<TimestampNanosecondType>(),
            &TimestampNanosecondArray::from(expected.map(nanos).to_vec())
        );
    }
}
