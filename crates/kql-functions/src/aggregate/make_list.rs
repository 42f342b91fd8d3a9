//! `make_list(x[, maxSize])`: the non-null values of `x` as a list of JSON values (strings are quoted).

use std::sync::Arc;

use datafusion::logical_expr::AggregateUDF;

use super::collect::CollectUdaf;
use crate::declare::*;

pub fn udaf() -> Arc<AggregateUDF> {
    crate::singleton!(AggregateUDF, CollectUdaf::udaf("kql_make_list", false, false))
}

pub(crate) static MAKE_LIST: KustoFunction = KustoFunction::aggregate_with_dynamic(
    Signature::aggregate("make_list", &[P::Any, P::Integer], R::Fixed(T::Dynamic))
        .optional_from(1)
        .named(N::Prefixed("list")),
    udaf,
    super::make_list_dynamic::udaf,
);

/// The deprecated `makelist`: "The deprecated version has a default maxSize limit of 128."
pub(crate) static MAKELIST: KustoFunction = KustoFunction::default_last(
    Signature::aggregate("makelist", &[P::Any, P::Integer], R::Fixed(T::Dynamic))
        .optional_from(1)
        .named(N::Prefixed("list")),
    &MAKE_LIST,
    128,
);

pub(crate) static MAKE_LIST_IF: KustoFunction = KustoFunction::conditional(
    Signature::aggregate(
        "make_list_if",
        &[P::Any, P::Bool, P::Integer],
        R::Fixed(T::Dynamic),
    )
    .optional_from(2)
    .named(N::Prefixed("list")),
    &MAKE_LIST,
    1,
);

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{ArrayRef, Int32Array, Int64Array, StringArray};
    use datafusion::common::ScalarValue;

    use datafusion::prelude::{col, lit};

    use super::super::support::testing::{only, query};

    fn names(values: &[Option<&str>]) -> (ArrayRef, ArrayRef) {
        let keys = Int64Array::from(vec![0; values.len()]);
        (
            std::sync::Arc::new(StringArray::from(values.to_vec())),
            std::sync::Arc::new(keys),
        )
    }

    #[tokio::test]
    async fn example_from_the_kusto_docs_across_partitions() {
        // shapes | summarize mylist = make_list(name)
        // -> ["triangle", "square", "rectangle", "pentagon", "hexagon", "heptagon", "octagon", "nonagon", "decagon"]
        let chunks = vec![
            vec![names(&[Some("triangle"), Some("square"), Some("rectangle")])],
            vec![names(&[Some("pentagon"), None, Some("hexagon")])],
            vec![
                names(&[Some("heptagon"), Some("octagon")]),
                names(&[Some("nonagon"), Some("decagon")]),
            ],
        ];
        let batch = query(chunks, vec![], vec![super::udaf().call(vec![col("x")])]).await;
        let ScalarValue::Utf8(Some(text)) = only(&batch, 0) else {
            panic!("not text")
        };
        let mut items: Vec<String> = serde_json::from_str(&text).expect("JSON array of strings");
        items.sort();
        let mut expected = [
            "triangle",
            "square",
            "rectangle",
            "pentagon",
            "hexagon",
            "heptagon",
            "octagon",
            "nonagon",
            "decagon",
        ];
        expected.sort();
        assert_eq!(items, expected);
    }

    #[tokio::test]
    async fn max_size_caps_the_list_and_empty_input_gives_an_empty_array() {
        let ints = |v: Vec<i32>| -> (ArrayRef, ArrayRef) {
            let keys = Int64Array::from(vec![0; v.len()]);
            (
                std::sync::Arc::new(Int32Array::from(v)),
                std::sync::Arc::new(keys),
            )
        };
        let batch = query(
            vec![vec![ints(vec![1, 2, 3])], vec![ints(vec![4, 5])]],
            vec![],
            vec![super::udaf().call(vec![col("x"), lit(2i64)])],
        )
        .await;
        let ScalarValue::Utf8(Some(text)) = only(&batch, 0) else {
            panic!("not text")
        };
        assert_eq!(serde_json::from_str::<Vec<i32>>(&text).expect("array").len(), 2);
        // datatable(x:long)[] | summarize make_set(x), make_list(x) -> [], [] (emulator)
        let batch = query(
            vec![vec![ints(vec![])]],
            vec![],
            vec![super::udaf().call(vec![col("x")])],
        )
        .await;
        assert_eq!(only(&batch, 0), ScalarValue::from("[]"));
    }
}
