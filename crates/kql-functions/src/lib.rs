//! Kusto scalar and aggregate functions as DataFusion UDFs and UDAFs.
//!
//! One function per file, grouped by family, each with its Kusto signature beside its implementation
//! (see [`registry`] and ARCHITECTURE.md, "How to add a function"). Every UDF is registered under the
//! name `kql_<kusto name>` (operators too: `kql_has`, `kql_contains_cs`, ...), so a DataFusion or
//! Ballista executor can rebuild a plan from names alone, and nothing collides with DataFusion's own
//! SQL-flavoured built-ins.
//! Arguments and results use the Arrow types fixed in `kql-types`; values follow Kusto semantics
//! (strings are never null, `has` is a term match, ...), not SQL's.

use datafusion::prelude::SessionContext;

pub mod aggregate;
pub mod conversion;
pub mod datetime;
pub mod dynamic;
pub mod geo;
pub mod ip;
pub mod math;
pub mod operators;
pub mod registry;
pub mod series;
pub mod string;

pub use registry::{Implementation, InternalFunction, KustoFunction, Registry, ScalarCall, registry};

use registry::Udf;

/// Builds a UDF or UDAF once per process and hands out clones of the one `Arc`, as DataFusion's
/// `make_udf_function!` does: `singleton!(ScalarUDF, define(...))` as the body of its constructor.
#[macro_export]
#[doc(hidden)]
macro_rules! singleton {
    ($ty:ty, $build:expr) => {{
        static SINGLETON: std::sync::LazyLock<std::sync::Arc<$ty>> = std::sync::LazyLock::new(|| $build);
        std::sync::Arc::clone(&SINGLETON)
    }};
}

/// What a function file needs to declare its Kusto signature: `use crate::declare::*;`.
pub(crate) mod declare {
    pub(crate) use kql_types::KustoType as T;
    pub(crate) use kql_types::signature::{Param as P, ResultName as N, Returns as R, Signature};

    pub(crate) use crate::registry::{InternalFunction, KustoFunction};
}

/// Every family's functions (one line per family; each family lists its files' functions).
const FUNCTIONS: &[&[&KustoFunction]] = &[
    operators::FUNCTIONS,
    string::FUNCTIONS,
    conversion::FUNCTIONS,
    dynamic::FUNCTIONS,
    ip::FUNCTIONS,
    datetime::FUNCTIONS,
    math::FUNCTIONS,
    geo::FUNCTIONS,
    series::FUNCTIONS,
    aggregate::FUNCTIONS,
];

/// Every family's operators and internal steps.
const INTERNAL_FUNCTIONS: &[&[&InternalFunction]] = &[
    operators::INTERNAL,
    math::INTERNAL,
    conversion::INTERNAL,
    dynamic::INTERNAL,
    aggregate::INTERNAL,
    string::INTERNAL,
];

/// UDFs no query reaches yet, kept registered by name (as before the registry) with the reason.
const NOT_REACHED: &[(Udf, &str)] = &[
    (
        Udf::Scalar(string::isempty::isempty),
        "`isempty` is lowered to `x IS NULL OR x = ''` (string/isnull.rs)",
    ),
    (
        Udf::Scalar(string::isempty::isnotempty),
        "`isnotempty` is lowered like `isempty`",
    ),
    (
        Udf::Scalar(conversion::to_number::toreal),
        "`toreal` converts like `todouble`, through `kql_todouble`",
    ),
];

/// Registers every function's UDFs and UDAFs with a session, by name.
pub fn register_all(ctx: &SessionContext) {
    let (scalar, aggregate) = registry().udfs();
    for udf in scalar {
        ctx.register_udf(udf.as_ref().clone());
    }
    for udaf in aggregate {
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
        let (scalar, aggregate) = registry().udfs();
        let scalar = scalar.into_iter().map(|f| f.name().to_string());
        let aggregate = aggregate.into_iter().map(|f| f.name().to_string());
        for name in scalar.chain(aggregate) {
            assert!(name.starts_with("kql_"), "{name} lacks the kql_ prefix");
            assert!(seen.insert(name.clone()), "{name} is registered twice");
        }
    }
}
