//! `min_of(a, b, ...)`: the least argument, ignoring nulls.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::extremum::{Extremum, extremum_udf};
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, extremum_udf("kql_min_of", Extremum::Min))
}

pub(crate) static MIN_OF: KustoFunction = KustoFunction::scalar(
    // Numbers, datetimes or timespans: the page's examples take ints and datetimes.
    Signature::scalar("min_of", &[P::Binnable, P::Binnable], R::Promoted).variadic(),
    udf,
);

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{ArrayRef, AsArray, Int64Array};
    use datafusion::arrow::datatypes::{DataType, Int64Type};
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::super::kernel::testing;
    use super::*;

    #[test]
    fn examples_from_the_kusto_docs() {
        // print result=min_of(10, 1, -3, 17) -> -3
        let args = [10, 1, -3, 17].map(|v| ScalarValue::Int64(Some(v))).to_vec();
        assert_eq!(testing::scalar(&udf(), args), ScalarValue::Int64(Some(-3)));
        // datatable (A: int, B: int) [1, 6, 8, 1, int(null), 2, int(null), int(null)]
        // | project min_of(A, B) -> 1, 1, 2, null
        let a: ArrayRef = Arc::new(Int64Array::from(vec![Some(1), Some(8), None, None]));
        let b: ArrayRef = Arc::new(Int64Array::from(vec![Some(6), Some(1), Some(2), None]));
        let out = testing::array(&udf(), vec![ColumnarValue::Array(a), ColumnarValue::Array(b)]);
        assert_eq!(
            out.as_primitive::<Int64Type>(),
            &Int64Array::from(vec![Some(1), Some(1), Some(2), None])
        );
    }

    #[test]
    fn mixed_numbers_widen_and_other_kinds_must_agree() {
        assert_eq!(
            udf().return_type(&[DataType::Int32, DataType::Int32]).unwrap(),
            DataType::Int32
        );
        assert_eq!(
            udf().return_type(&[DataType::Int32, DataType::Int64]).unwrap(),
            DataType::Int64
        );
        assert_eq!(
            udf().return_type(&[DataType::Int64, DataType::Float64]).unwrap(),
            DataType::Float64
        );
        assert!(udf().return_type(&[DataType::Utf8, DataType::Int64]).is_err());
    }
}
