//! A column: what both a table's schema (the catalog) and a bound relation are made of, kept apart from
//! both so that neither module depends on the other for it.

use kql_types::KustoType;

/// A column of a table or of an intermediate result: its name and Kusto type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Column {
    pub name: String,
    pub ty: KustoType,
}

impl Column {
    pub fn new(name: impl Into<String>, ty: KustoType) -> Column {
        Column {
            name: name.into(),
            ty,
        }
    }
}
