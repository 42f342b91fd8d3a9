//! Kusto scalar and aggregate functions as DataFusion UDFs and UDAFs.
//!
//! One function per file, grouped by family. Every UDF is registered under the name `kql_<kusto name>`
//! (operators too: `kql_has`, `kql_contains_cs`, ...), so a DataFusion or Ballista executor can rebuild
//! a plan from names alone, and nothing collides with DataFusion's own SQL-flavoured built-ins.
//! Arguments and results use the Arrow types fixed in `kql-types`; values follow Kusto semantics
//! (strings are never null, `has` is a term match, ...), not SQL's.

use std::sync::Arc;

use datafusion::logical_expr::{AggregateUDF, ScalarUDF};
use datafusion::prelude::SessionContext;

pub mod aggregate;
pub mod conversion;
pub mod datetime;
pub mod dynamic;
pub mod geo;
pub mod ip;
pub mod math;
pub mod operators;
pub mod series;
pub mod string;

/// Every Kusto scalar function torhunt implements.
pub fn scalar_functions() -> Vec<Arc<ScalarUDF>> {
    [
        operators::functions(),
        string::functions(),
        conversion::functions(),
        dynamic::functions(),
        ip::functions(),
        datetime::functions(),
        math::functions(),
        geo::functions(),
        series::functions(),
    ]
    .concat()
}

/// Every Kusto aggregate function torhunt implements as a UDAF (the rest map to DataFusion's own).
pub fn aggregate_functions() -> Vec<Arc<AggregateUDF>> {
    aggregate::functions()
}

/// Registers all functions with a session, by name.
pub fn register_all(ctx: &SessionContext) {
    for udf in scalar_functions() {
        ctx.register_udf(udf.as_ref().clone());
    }
    for udaf in aggregate_functions() {
        ctx.register_udaf(udaf.as_ref().clone());
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_function_has_a_unique_kql_prefixed_name() {
        let mut seen = HashSet::new();
        let scalar = scalar_functions().into_iter().map(|f| f.name().to_string());
        let aggregate = aggregate_functions().into_iter().map(|f| f.name().to_string());
        for name in scalar.chain(aggregate) {
            assert!(name.starts_with("kql_"), "{name} lacks the kql_ prefix");
            assert!(seen.insert(name.clone()), "{name} is registered twice");
        }
    }
}
