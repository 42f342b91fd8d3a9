//! What the planner needs from the engine: table scans and `externaldata` contents.

use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::error::Result;
use datafusion::logical_expr::{ScalarUDF, TableSource};
use kql_binder::catalog::Column;

/// An `externaldata` operator as written, for the engine to resolve (local file, intel store, cache).
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalDataRequest {
    /// The declared schema, in order.
    pub columns: Vec<Column>,
    /// The URIs in the brackets, as string values.
    pub uris: Vec<String>,
    /// The `with (...)` options, names lower-cased, values as text (`format` -> `csv`,
    /// `ignorefirstrecord` -> `true`).
    pub options: Vec<(String, String)>,
}

/// Supplies table scans and external data to the planner.
pub trait PlanContext {
    /// The DataFusion source to scan for a table the binder resolved. Its Arrow schema has the
    /// catalog's columns, in the catalog's order, with the Arrow types fixed by `kql-types`.
    fn table_source(&self, name: &str) -> Result<Arc<dyn TableSource>>;

    /// The rows of an `externaldata` operator, with exactly the requested columns and Arrow types.
    fn external_data(&self, request: &ExternalDataRequest) -> Result<Vec<RecordBatch>>;

    /// A torhunt extension function (such as `tor_relay_at`) by its KQL name, when the engine has one;
    /// Kusto's own functions come from `kql-functions`.
    fn extension_udf(&self, _name: &str) -> Option<Arc<ScalarUDF>> {
        None
    }
}
