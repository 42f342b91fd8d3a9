//! `arg_min(by, value)`: `value` at the row with the least `by`.

use std::sync::Arc;

use datafusion::logical_expr::AggregateUDF;

use super::arg_extreme::{ArgExtremeUdaf, Extreme};
use crate::declare::*;

pub fn udaf() -> Arc<AggregateUDF> {
    crate::singleton!(AggregateUDF, ArgExtremeUdaf::udaf("kql_arg_min", Extreme::Min))
}

// `arg_max`/`arg_min` among other aggregates (`summarize arg_min(by, x), count()`): the binder asks
// for one `arg_min(by, x)` per column.
pub(crate) static ARG_MIN: InternalFunction = InternalFunction::aggregate("arg_min", udaf);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::super::arg_extreme::arg_of;
    use super::*;

    #[tokio::test]
    async fn least_by_across_partitions_and_null_when_none() {
        let (found, empty) = arg_of(udaf()).await;
        assert_eq!(found, ScalarValue::from("minus five"));
        assert_eq!(empty, ScalarValue::Utf8(None));
    }
}
