//! `dayofyear(datetime)`: the day of the year, 1 to 366.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::calendar::Part;
use super::component::component_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, component_udf("kql_dayofyear", Part::DayOfYear))
}

pub(crate) static DAYOFYEAR: KustoFunction = KustoFunction::scalar(
    Signature::scalar("dayofyear", &[P::DateTime], R::Fixed(T::Long)),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::component::component_of;
    use super::*;

    #[test]
    fn kusto_examples() {
        // dayofyear(datetime(2015-12-14)) -> 348
        assert_eq!(component_of(&udf(), "2015-12-14"), Some(348));
    }
}
