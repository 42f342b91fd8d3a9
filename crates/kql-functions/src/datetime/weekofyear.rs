//! `weekofyear(datetime)`: the ISO 8601 week number (weeks start on Monday; week 1 holds the first Thursday).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::calendar::Part;
use super::component::component_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, component_udf("kql_weekofyear", Part::Week))
}

// Kusto's name is `week_of_year`; `weekofyear` is its deprecated spelling.
pub(crate) static WEEK_OF_YEAR: KustoFunction = KustoFunction::scalar(
    Signature::scalar("week_of_year", &[P::DateTime], R::Fixed(T::Long)).aliases(&["weekofyear"]),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::component::component_of;
    use super::*;

    #[test]
    fn kusto_examples() {
        // weekofyear(datetime(2020-12-31)) -> 53, weekofyear(datetime(2020-06-15)) -> 25,
        // weekofyear(datetime(1970-01-01)) -> 1, weekofyear(datetime(2000-01-01)) -> 52
        assert_eq!(component_of(&udf(), "2020-12-31"), Some(53));
        assert_eq!(component_of(&udf(), "2020-06-15"), Some(25));
        assert_eq!(component_of(&udf(), "1970-01-01"), Some(1));
        assert_eq!(component_of(&udf(), "2000-01-01"), Some(52));
    }
}
