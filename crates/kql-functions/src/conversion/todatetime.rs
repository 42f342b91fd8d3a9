//! `todatetime(value)`: a string (or dynamic string) parsed as a datetime; null when it is not one.

use std::sync::Arc;

use datafusion::arrow::datatypes::TimestampNanosecondType;
use datafusion::logical_expr::ScalarUDF;

use super::text_conversion::text_conversion_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        text_conversion_udf::<TimestampNanosecondType>(
            "kql_todatetime",
            T::DateTime.arrow_type(),
            kql_types::time::parse_datetime,
        )
    )
}

pub(crate) static TODATETIME: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("todatetime", &[P::Any], R::Fixed(T::DateTime)).named(N::FirstArgument),
    super::lower_conversion,
    super::CONVERSION_UDFS,
);

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{ArrayRef, AsArray, StringArray, TimestampNanosecondArray};
    use datafusion::arrow::datatypes::DataType;
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::*;
    use crate::datetime::calendar_testing::{datetime, nanos};
    use crate::math::kernel::testing::{array, scalar};

    #[test]
    fn example_from_the_kusto_docs() {
        // print todatetime("2015-12-31 23:59:59.9")
        assert_eq!(
            scalar(&udf(), vec![ScalarValue::from("2015-12-31 23:59:59.9")]),
            datetime("2015-12-31T23:59:59.9Z")
        );
        assert_eq!(
            scalar(&udf(), vec![datetime("2015-12-31")]),
            datetime("2015-12-31")
        );
    }

    #[test]
    fn dynamic_strings_nulls_and_garbage() {
        let texts: ArrayRef = Arc::new(StringArray::from(vec![
            Some("\"2020-01-02\""),
            Some("not a date"),
            None,
        ]));
        let out = array(&udf(), vec![ColumnarValue::Array(texts)]);
        let expected = TimestampNanosecondArray::from(vec![Some(nanos("2020-01-02")), None, None]);
        assert_eq!(out.as_primitive(), &expected);
        assert!(udf().coerce_types(&[DataType::Int64]).is_err());
    }
}
