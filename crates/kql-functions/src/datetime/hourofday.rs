//! `hourofday(datetime)`: the hour, 0 to 23.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::calendar::Part;
use super::component::component_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, component_udf("kql_hourofday", Part::Hour))
}

pub(crate) static HOUROFDAY: KustoFunction = KustoFunction::scalar(
    Signature::scalar("hourofday", &[P::DateTime], R::Fixed(T::Long)),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::component::component_of;
    use super::*;

    #[test]
    fn kusto_examples() {
        // hourofday(datetime(2015-12-14 18:54)) -> 18
        assert_eq!(component_of(&udf(), "2015-12-14 18:54"), Some(18));
    }
}
