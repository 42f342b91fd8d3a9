//! `endofmonth(datetime[, offset])`: the last tick of the month, `offset` months away.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::boundary::{Edge, boundary_udf};
use super::calendar::Period;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        boundary_udf("kql_endofmonth", Period::Month, Edge::End)
    )
}

pub(crate) static ENDOFMONTH: KustoFunction = KustoFunction::scalar(
    Signature::scalar("endofmonth", &[P::DateTime, P::Integer], R::Fixed(T::DateTime)).optional_from(1),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::boundary::assert_docs_example;
    use super::*;

    #[test]
    fn kusto_examples() {
        // range offset from -1 to 1 step 1 | project monthEnd = endofmonth(datetime(2017-01-01 10:10:17), offset)
        // -> 2016-12-31 23:59:59.9999999, 2017-01-31 23:59:59.9999999, 2017-02-28 23:59:59.9999999
        assert_docs_example(
            &udf(),
            [
                "2016-12-31 23:59:59.9999999",
                "2017-01-31 23:59:59.9999999",
                "2017-02-28 23:59:59.9999999",
            ],
        );
    }
}
