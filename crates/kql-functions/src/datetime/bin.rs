//! `bin(value, roundTo)`: rounds down to a multiple of `roundTo` (see `binning` for the origins).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::binning::bin_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, bin_udf("kql_bin"))
}

// Datetimes are binned from 0001-01-01, Kusto's tick origin (weekly bins start on Mondays), which
// a lowering on Unix-epoch nanoseconds (a Thursday) got wrong for every bin size that does not divide
// whole days evenly into the 719,162 days between the two origins.
pub(crate) static BIN: KustoFunction = KustoFunction::scalar(
    // `bin`/`floor` of a datetime or timespan keep its type; numbers promote with the bin size.
    Signature::scalar("bin", &[P::Binnable, P::Binnable], R::Promoted).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{ArrayRef, AsArray, Int64Array};
    use datafusion::arrow::datatypes::{DataType, Int64Type};
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::super::calendar::testing::{datetime, timespan};
    use super::super::kernel_testing::scalar;
    use super::*;

    #[test]
    fn examples_from_the_kusto_docs() {
        // print bin(4.5, 1) -> 4
        let four = scalar(
            &udf(),
            vec![ScalarValue::Float64(Some(4.5)), ScalarValue::Float64(Some(1.0))],
        );
        assert_eq!(four, ScalarValue::Float64(Some(4.0)));
        // print bin(time(16d), 7d) -> 14.00:00:00
        assert_eq!(
            scalar(&udf(), vec![timespan("16d"), timespan("7d")]),
            timespan("14d")
        );
        // print bin(datetime(1970-05-11 13:45:07), 1d) -> 1970-05-11T00:00:00Z
        let day = scalar(&udf(), vec![datetime("1970-05-11 13:45:07"), timespan("1d")]);
        assert_eq!(day, datetime("1970-05-11"));
    }

    #[test]
    fn datetime_weeks_align_to_year_one_not_the_unix_epoch() {
        // 0001-01-01 was a Monday, so 7-day bins start on Mondays; 2017-05-15 was a Monday.
        let week = scalar(&udf(), vec![datetime("2017-05-17 10:20"), timespan("7d")]);
        assert_eq!(week, datetime("2017-05-15"));
        let before_epoch = scalar(&udf(), vec![datetime("1969-12-31 23:00"), timespan("7d")]);
        assert_eq!(before_epoch, datetime("1969-12-29"));
    }

    #[test]
    fn integers_bin_toward_negative_infinity_and_bad_sizes_give_null() {
        assert_eq!(
            udf().coerce_types(&[DataType::Int32, DataType::Int32]).unwrap(),
            vec![DataType::Int64; 2]
        );
        let values: ArrayRef = Arc::new(Int64Array::from(vec![Some(-7), Some(7), None]));
        let args = vec![
            ColumnarValue::Array(values),
            ColumnarValue::Scalar(ScalarValue::Int64(Some(5))),
        ];
        let out = super::super::kernel_testing::array(&udf(), args);
        assert_eq!(
            out.as_primitive::<Int64Type>(),
            &Int64Array::from(vec![Some(-10), Some(5), None])
        );
        let zero = scalar(
            &udf(),
            vec![ScalarValue::Int64(Some(7)), ScalarValue::Int64(Some(0))],
        );
        assert_eq!(zero, ScalarValue::Int64(None));
        let negative = scalar(&udf(), vec![timespan("1h"), timespan("-1h")]);
        assert_eq!(negative, ScalarValue::DurationNanosecond(None));
    }

    #[test]
    fn datetimes_need_a_timespan_bin_size() {
        let error = udf()
            .coerce_types(&[super::super::calendar::DATETIME, DataType::Int64])
            .unwrap_err();
        assert!(error.to_string().contains("must be Duration"), "{error}");
    }
}
