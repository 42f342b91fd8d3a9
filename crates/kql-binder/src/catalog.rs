//! What the binder needs to know about the outside world: which tables exist and their Kusto schemas,
//! and which functions exist and their signatures (as DataFusion's SQL planner asks its
//! `ContextProvider`). The engine implements this over its registered tables, `kql-functions`'
//! registry and its extension functions; tests use a small in-memory catalog.

use kql_types::signature::Signature;

use crate::bound::Relation;
pub use crate::column::Column;

/// The tables and functions a query may name.
pub trait Catalog {
    /// A function's signature, by its name or an alias (case-sensitive, as in Kusto), or `None` when
    /// no such function exists. The binder's own special forms (`iff`, `now`, ...) are not asked for.
    fn function(&self, name: &str) -> Option<Signature>;

    /// Every function name (aliases included), for "did you mean" suggestions.
    fn function_names(&self) -> Vec<&'static str>;

    /// The schema of a table, or `None` when no such table exists. Names are case-sensitive, as in Kusto.
    fn table_schema(&self, name: &str) -> Option<Vec<Column>>;

    /// Every table name, for `union` wildcards (`Device*`) and "did you mean" suggestions.
    fn table_names(&self) -> Vec<String>;

    /// Runs a relation with one string or dynamic column and returns its non-null values as text (JSON
    /// for dynamic), for operators whose shape depends on the data: `bag_unpack` without an output
    /// schema (the bag properties), `partition` (the partition keys).
    /// `None` when this catalog cannot run queries (`torhunt check`): `bag_unpack` is then refused, and
    /// `partition` binds its subquery once over all rows, which gives the right columns for checking,
    /// not rows to read. `Some(Err(reason))` when running failed.
    fn column_values(&self, _relation: &Relation) -> Option<Result<Vec<String>, String>> {
        None
    }
}
