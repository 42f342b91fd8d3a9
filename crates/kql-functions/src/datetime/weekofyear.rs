//! `week_of_year(datetime)`: the ISO 8601 week number (weeks start on Monday; week 1 holds the first Thursday).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::calendar::Part;
use super::component::component_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, component_udf("kql_weekofyear", Part::Week))
}

// Kusto's name is `week_of_year`. The deprecated `weekofyear` counted weeks differently (the docs:
// week 1 held the year's first Wednesday), so it is refused rather than answered as this one.
pub(crate) static WEEK_OF_YEAR: KustoFunction = KustoFunction::scalar(
    Signature::scalar("week_of_year", &[P::DateTime], R::Fixed(T::Long)),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::component::component_of;
    use super::*;

    #[test]
    fn kusto_examples() {
        // week_of_year(datetime(2020-12-31)) -> 53, week_of_year(datetime(2020-06-15)) -> 25,
        // week_of_year(datetime(1970-01-01)) -> 1, week_of_year(datetime(2000-01-01)) -> 52
        assert_eq!(component_of(&udf(), "2020-12-31"), Some(53));
        assert_eq!(component_of(&udf(), "2020-06-15"), Some(25));
        assert_eq!(component_of(&udf(), "1970-01-01"), Some(1));
        assert_eq!(component_of(&udf(), "2000-01-01"), Some(52));
    }
}
