//! `dayofmonth(datetime)`: the day of the month, 1 to 31.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::calendar::Part;
use super::component::component_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, component_udf("kql_dayofmonth", Part::Day))
}

pub(crate) static DAYOFMONTH: KustoFunction = KustoFunction::scalar(
    Signature::scalar("dayofmonth", &[P::DateTime], R::Fixed(T::Long)),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::component::component_of;
    use super::*;

    #[test]
    fn kusto_examples() {
        // dayofmonth(datetime(2015-12-14)) -> 14
        assert_eq!(component_of(&udf(), "2015-12-14"), Some(14));
    }
}
