//! `startofmonth(datetime[, offset])`: midnight starting the month, `offset` months away.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::boundary::{Edge, boundary_udf};
use super::calendar::Period;

pub fn udf() -> Arc<ScalarUDF> {
    boundary_udf("kql_startofmonth", Period::Month, Edge::Start)
}

#[cfg(test)]
mod tests {
    use super::super::boundary::boundary_of;
    use super::super::calendar::testing::datetime;
    use super::*;

    #[test]
    fn kusto_examples() {
        // range offset from -1 to 1 step 1 | project monthStart = startofmonth(datetime(2017-01-01 10:10:17), offset)
        // -> 2016-12-01, 2017-01-01, 2017-02-01 (emulator)
        assert_eq!(
            boundary_of(&udf(), "2017-01-01 10:10:17", Some(-1)),
            datetime("2016-12-01")
        );
        assert_eq!(
            boundary_of(&udf(), "2017-01-01 10:10:17", None),
            datetime("2017-01-01")
        );
        assert_eq!(
            boundary_of(&udf(), "2017-01-01 10:10:17", Some(1)),
            datetime("2017-02-01")
        );
        let null = super::super::kernel_testing::scalar(
            &udf(),
            vec![datafusion::common::ScalarValue::TimestampNanosecond(None, None)],
        );
        assert!(null.is_null());
    }
}
