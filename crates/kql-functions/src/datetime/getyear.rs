//! `getyear(datetime)`: the year.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::calendar::Part;
use super::component::component_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, component_udf("kql_getyear", Part::Year))
}

pub(crate) static GETYEAR: KustoFunction = KustoFunction::scalar(
    Signature::scalar("getyear", &[P::DateTime], R::Fixed(T::Long)),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::component::component_of;
    use super::*;

    #[test]
    fn kusto_examples() {
        // print year = getyear(datetime(2015-10-12)) -> 2015
        assert_eq!(component_of(&udf(), "2015-10-12"), Some(2015));
    }
}
