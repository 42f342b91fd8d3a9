//! `getmonth(datetime)`: the month number, 1 to 12.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::calendar::Part;
use super::component::component_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, component_udf("kql_getmonth", Part::Month))
}

pub(crate) static GETMONTH: KustoFunction = KustoFunction::scalar(
    Signature::scalar("getmonth", &[P::DateTime], R::Fixed(T::Long)),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::component::component_of;
    use super::*;

    #[test]
    fn kusto_examples() {
        // getmonth(datetime(2015-10-12)) -> 10
        assert_eq!(component_of(&udf(), "2015-10-12"), Some(10));
    }
}
