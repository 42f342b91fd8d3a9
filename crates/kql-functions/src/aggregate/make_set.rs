//! `make_set(x[, maxSize])`: the non-null values of `x` as a set of distinct JSON values in first-occurrence order.

use std::sync::Arc;

use datafusion::logical_expr::AggregateUDF;

use super::collect::CollectUdaf;
use crate::declare::*;

pub fn udaf() -> Arc<AggregateUDF> {
    crate::singleton!(AggregateUDF, CollectUdaf::udaf("kql_make_set", true, false))
}

pub(crate) static MAKE_SET: KustoFunction = KustoFunction::aggregate_with_dynamic(
    Signature::aggregate("make_set", &[P::Any, P::Integer], R::Fixed(T::Dynamic))
        .optional_from(1)
        .named(N::Prefixed("set")),
    udaf,
    super::make_set_dynamic::udaf,
);

/// The deprecated `makeset`: "The deprecated version has a default maxSize limit of 128."
pub(crate) static MAKESET: KustoFunction = KustoFunction::default_last(
    Signature::aggregate("makeset", &[P::Any, P::Integer], R::Fixed(T::Dynamic))
        .optional_from(1)
        .named(N::Prefixed("set")),
    &MAKE_SET,
    128,
);

pub(crate) static MAKE_SET_IF: KustoFunction = KustoFunction::conditional(
    Signature::aggregate(
        "make_set_if",
        &[P::Any, P::Bool, P::Integer],
        R::Fixed(T::Dynamic),
    )
    .optional_from(2)
    .named(N::Prefixed("set")),
    &MAKE_SET,
    1,
);

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{ArrayRef, Float64Array, Int64Array, StringArray};
    use datafusion::common::ScalarValue;

    use datafusion::logical_expr::ExprFunctionExt;
    use datafusion::prelude::{col, lit};

    use super::super::support::testing::{only, query};

    #[tokio::test]
    async fn duplicates_and_nulls_are_dropped_across_partitions() {
        // range x from 1 to 2 step 1 | extend y = iff(x == 1, real(null), real(5)) | summarize make_set(y)
        // -> [5.0] (emulator)
        let chunk = |v: Vec<Option<f64>>| -> (ArrayRef, ArrayRef) {
            let keys = Int64Array::from(vec![0; v.len()]);
            (
                std::sync::Arc::new(Float64Array::from(v)),
                std::sync::Arc::new(keys),
            )
        };
        let chunks = vec![
            vec![chunk(vec![None, Some(5.0)])],
            vec![chunk(vec![Some(5.0), None])],
            vec![chunk(vec![Some(5.0)])],
        ];
        let batch = query(chunks, vec![], vec![super::udaf().call(vec![col("x")])]).await;
        assert_eq!(only(&batch, 0), ScalarValue::from("[5.0]"));
    }

    #[tokio::test]
    async fn groups_keep_first_occurrence_order_within_a_partition() {
        // make_set_if(name, strlen(name) > 4) -> ["George", "Ringo"]: the planner turns the `if` into a
        // FILTER clause.
        let names: ArrayRef = std::sync::Arc::new(StringArray::from(vec![
            "John", "Paul", "George", "Ringo", "George",
        ]));
        let keys: ArrayRef = std::sync::Arc::new(Int64Array::from(vec![0; 5]));
        let long_name = datafusion::functions::unicode::expr_fn::character_length(col("x")).gt(lit(4));
        let filtered = super::udaf()
            .call(vec![col("x")])
            .filter(long_name)
            .build()
            .expect("filter");
        let batch = query(vec![vec![(names, keys)]], vec![], vec![filtered]).await;
        assert_eq!(only(&batch, 0), ScalarValue::from(r#"["George","Ringo"]"#));
    }
}
