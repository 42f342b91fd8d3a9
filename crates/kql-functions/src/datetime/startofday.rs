//! `startofday(datetime[, offset])`: midnight starting the day, `offset` days away.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::boundary::{Edge, boundary_udf};
use super::calendar::Period;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        boundary_udf("kql_startofday", Period::Day, Edge::Start)
    )
}

pub(crate) static STARTOFDAY: KustoFunction = KustoFunction::scalar(
    Signature::scalar("startofday", &[P::DateTime, P::Integer], R::Fixed(T::DateTime))
        .optional_from(1)
        .named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::boundary::assert_docs_example;
    use super::*;

    #[test]
    fn kusto_examples() {
        // range offset from -1 to 1 step 1 | project dayStart = startofday(datetime(2017-01-01 10:10:17), offset)
        // -> 2016-12-31, 2017-01-01, 2017-01-02
        assert_docs_example(&udf(), ["2016-12-31", "2017-01-01", "2017-01-02"]);
    }
}
