//! `make_list(x[, maxSize])`: the non-null values of `x` when the input is dynamic JSON text, embedded as is.

use std::sync::Arc;

use datafusion::logical_expr::AggregateUDF;

use super::collect::CollectUdaf;

pub fn udaf() -> Arc<AggregateUDF> {
    crate::singleton!(
        AggregateUDF,
        CollectUdaf::udaf("kql_make_list_dynamic", false, true)
    )
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{ArrayRef, Int64Array, StringArray};
    use datafusion::common::ScalarValue;

    use datafusion::prelude::col;

    use super::super::support::testing::{only, query};

    #[tokio::test]
    async fn dynamic_values_are_embedded_not_quoted() {
        // shapes | extend d = bag_pack("name", name, "sideCount", sideCount) | summarize mylist = make_list(d)
        let bags: ArrayRef = std::sync::Arc::new(StringArray::from(vec![
            Some(r#"{"name":"triangle","sideCount":3}"#),
            None,
            Some(r#"{"name":"pentagon","sideCount":5}"#),
        ]));
        let keys: ArrayRef = std::sync::Arc::new(Int64Array::from(vec![0; 3]));
        let batch = query(
            vec![vec![(bags, keys)]],
            vec![],
            vec![super::udaf().call(vec![col("x")])],
        )
        .await;
        let expected = r#"[{"name":"triangle","sideCount":3},{"name":"pentagon","sideCount":5}]"#;
        assert_eq!(only(&batch, 0), ScalarValue::from(expected));
    }
}
