//! `getmonth(datetime)`: the month number, 1 to 12.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::calendar::Part;
use super::component::component_udf;

pub fn udf() -> Arc<ScalarUDF> {
    component_udf("kql_getmonth", Part::Month)
}

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
