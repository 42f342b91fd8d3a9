//! `make_list_with_nulls(x)`: every value of `x`, nulls included as JSON `null`, as a dynamic array;
//! the `_dynamic` twin embeds dynamic JSON text as is.

use std::sync::Arc;

use datafusion::logical_expr::AggregateUDF;

use super::collect::CollectUdaf;
use crate::declare::*;

pub fn udaf() -> Arc<AggregateUDF> {
    crate::singleton!(
        AggregateUDF,
        CollectUdaf::list_with_nulls("kql_make_list_with_nulls", false)
    )
}

pub(crate) static MAKE_LIST_WITH_NULLS: KustoFunction = KustoFunction::aggregate_with_dynamic(
    Signature::aggregate("make_list_with_nulls", &[P::Any], R::Fixed(T::Dynamic)).named(N::Prefixed("list")),
    udaf,
    dynamic_udaf,
);

pub fn dynamic_udaf() -> Arc<AggregateUDF> {
    crate::singleton!(
        AggregateUDF,
        CollectUdaf::list_with_nulls("kql_make_list_with_nulls_dynamic", true)
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::array::{ArrayRef, Int32Array, Int64Array, StringArray};
    use datafusion::common::ScalarValue;
    use datafusion::prelude::col;

    use super::super::support::testing::{only, query};

    fn column(array: ArrayRef) -> (ArrayRef, ArrayRef) {
        let keys = Int64Array::from(vec![0; array.len()]);
        (array, Arc::new(keys))
    }

    #[tokio::test]
    async fn docs_example_keeps_the_null() {
        // shapes | summarize mylist = make_list_with_nulls(sideCount) -> [null,4,4,5,6,7,8,9,10]
        let sides = Int32Array::from(vec![
            None,
            Some(4),
            Some(4),
            Some(5),
            Some(6),
            Some(7),
            Some(8),
            Some(9),
            Some(10),
        ]);
        let batch = query(
            vec![vec![column(Arc::new(sides))]],
            vec![],
            vec![super::udaf().call(vec![col("x")])],
        )
        .await;
        assert_eq!(only(&batch, 0), ScalarValue::from("[null,4,4,5,6,7,8,9,10]"));
    }

    #[tokio::test]
    async fn dynamic_values_are_embedded() {
        let values = StringArray::from(vec![Some(r#"{"a":1}"#), None]);
        let udaf = super::dynamic_udaf();
        let batch = query(
            vec![vec![column(Arc::new(values))]],
            vec![],
            vec![udaf.call(vec![col("x")])],
        )
        .await;
        assert_eq!(only(&batch, 0), ScalarValue::from(r#"[{"a":1},null]"#));
    }
}
