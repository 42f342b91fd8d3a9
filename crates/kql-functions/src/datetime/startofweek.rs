//! `startofweek(datetime[, offset])`: midnight starting the Sunday-based week, `offset` weeks away.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::boundary::{Edge, boundary_udf};
use super::calendar::Period;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        boundary_udf("kql_startofweek", Period::Week, Edge::Start)
    )
}

pub(crate) static STARTOFWEEK: KustoFunction = KustoFunction::scalar(
    Signature::scalar("startofweek", &[P::DateTime, P::Integer], R::Fixed(T::DateTime)).optional_from(1),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::boundary::assert_docs_example;
    use super::*;

    #[test]
    fn kusto_examples() {
        // range offset from -1 to 1 step 1 | project weekStart = startofweek(datetime(2017-01-01 10:10:17), offset)
        // -> 2016-12-25, 2017-01-01, 2017-01-08 (emulator)
        assert_docs_example(&udf(), ["2016-12-25", "2017-01-01", "2017-01-08"]);
    }
}
