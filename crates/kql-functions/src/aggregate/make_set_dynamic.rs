//! `make_set(x[, maxSize])`: the non-null values of `x` when the input is dynamic JSON text, embedded as
//! is; an array adds its elements (the page's "Set from array column").

use std::sync::Arc;

use datafusion::logical_expr::AggregateUDF;

use super::collect::CollectUdaf;

pub fn udaf() -> Arc<AggregateUDF> {
    crate::singleton!(
        AggregateUDF,
        CollectUdaf::udaf("kql_make_set_dynamic", true, true)
    )
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{ArrayRef, Int64Array, StringArray};
    use datafusion::common::ScalarValue;

    use datafusion::prelude::col;

    use super::super::support::testing::{only, query};

    #[tokio::test]
    async fn arrays_add_their_elements_and_equal_values_collapse() {
        let values: ArrayRef = std::sync::Arc::new(StringArray::from(vec![
            "[1,2]",
            "\"a\"",
            "[2,{\"k\":1}]",
            "{\"k\":1}",
        ]));
        let keys: ArrayRef = std::sync::Arc::new(Int64Array::from(vec![0; 4]));
        let batch = query(
            vec![vec![(values, keys)]],
            vec![],
            vec![super::udaf().call(vec![col("x")])],
        )
        .await;
        assert_eq!(only(&batch, 0), ScalarValue::from(r#"[1,2,"a",{"k":1}]"#));
    }
}
