//! `max_of(a, b, ...)`: the greatest argument, ignoring nulls.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::extremum::{Extremum, extremum_udf};
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, extremum_udf("kql_max_of", Extremum::Max))
}

pub(crate) static MAX_OF: KustoFunction = KustoFunction::scalar(
    // Numbers, datetimes or timespans: the page's examples take ints and datetimes.
    Signature::scalar("max_of", &[P::Binnable, P::Binnable], R::Promoted).variadic(),
    udf,
);

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{ArrayRef, AsArray, Int64Array, StringArray};
    use datafusion::arrow::datatypes::Int64Type;
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::super::kernel::testing;
    use super::*;

    #[test]
    fn examples_from_the_kusto_docs() {
        // print result = max_of(10, 1, -3, 17) -> 17
        let args = [10, 1, -3, 17].map(|v| ScalarValue::Int64(Some(v))).to_vec();
        assert_eq!(testing::scalar(&udf(), args), ScalarValue::Int64(Some(17)));
        // datatable (A: int, B: int) [1, 6, 8, 1, int(null), 2, int(null), int(null)]
        // | project max_of(A, B) -> 6, 8, 2, null
        let a: ArrayRef = Arc::new(Int64Array::from(vec![Some(1), Some(8), None, None]));
        let b: ArrayRef = Arc::new(Int64Array::from(vec![Some(6), Some(1), Some(2), None]));
        let out = testing::array(&udf(), vec![ColumnarValue::Array(a), ColumnarValue::Array(b)]);
        assert_eq!(
            out.as_primitive::<Int64Type>(),
            &Int64Array::from(vec![Some(6), Some(8), Some(2), None])
        );
    }

    #[test]
    fn strings_compare_ordinally_with_a_scalar() {
        let names: ArrayRef = Arc::new(StringArray::from(vec![Some("apple"), None]));
        let args = vec![
            ColumnarValue::Array(names),
            ColumnarValue::Scalar(ScalarValue::from("banana")),
        ];
        let out = testing::array(&udf(), args);
        assert_eq!(
            out.as_string::<i32>(),
            &StringArray::from(vec!["banana", "banana"])
        );
    }
}
