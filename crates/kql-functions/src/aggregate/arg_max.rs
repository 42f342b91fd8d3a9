//! `arg_max(by, value)`: `value` at the row with the greatest `by`.

use std::sync::Arc;

use datafusion::logical_expr::AggregateUDF;

use super::arg_extreme::{ArgExtremeUdaf, Extreme};
use crate::declare::*;

pub fn udaf() -> Arc<AggregateUDF> {
    crate::singleton!(AggregateUDF, ArgExtremeUdaf::udaf("kql_arg_max", Extreme::Max))
}

// `arg_max`/`arg_min` among other aggregates (`summarize arg_max(by, x), count()`): the binder asks
// for one `arg_max(by, x)` per column.
pub(crate) static ARG_MAX: InternalFunction = InternalFunction::aggregate("arg_max", udaf);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::super::arg_extreme::arg_of;
    use super::*;

    #[tokio::test]
    async fn greatest_by_across_partitions_and_null_when_none() {
        // datatable(x:long)[] | summarize arg_max(x, *) -> null (emulator)
        let (found, empty) = arg_of(udaf()).await;
        assert_eq!(found, ScalarValue::from("nine"));
        assert_eq!(empty, ScalarValue::Utf8(None));
    }
}
