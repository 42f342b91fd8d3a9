//! `getyear(datetime)`: the year.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::calendar::Part;
use super::component::component_udf;

pub fn udf() -> Arc<ScalarUDF> {
    component_udf("kql_getyear", Part::Year)
}

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
