//! A small in-memory catalog (a subset of the Defender schemas) and bind helpers.

use std::collections::BTreeMap;

use kql_binder::catalog::{Catalog, Column};
use kql_binder::{BindOptions, BoundQuery, bind};
use kql_functions::registry;
use kql_syntax::Diagnostic;
use kql_types::KustoType;
use kql_types::signature::Signature;

pub struct TestCatalog {
    pub tables: BTreeMap<String, Vec<Column>>,
}

impl Catalog for TestCatalog {
    fn function(&self, name: &str) -> Option<Signature> {
        registry().signature(name)
    }

    fn function_names(&self) -> Vec<&'static str> {
        registry().names().collect()
    }

    fn table_schema(&self, name: &str) -> Option<Vec<Column>> {
        self.tables.get(name).cloned()
    }

    fn table_names(&self) -> Vec<String> {
        self.tables.keys().cloned().collect()
    }
}

fn columns(spec: &[(&str, KustoType)]) -> Vec<Column> {
    spec.iter().map(|(name, ty)| Column::new(*name, *ty)).collect()
}

/// DeviceNetworkEvents and DeviceInfo, cut down to the columns the tests use (same names and types
/// as Microsoft's schema).
pub fn catalog() -> TestCatalog {
    use KustoType::*;
    let mut tables = BTreeMap::new();
    tables.insert(
        "DeviceNetworkEvents".to_string(),
        columns(&[
            ("Timestamp", DateTime),
            ("DeviceId", String),
            ("DeviceName", String),
            ("ActionType", String),
            ("RemoteIP", String),
            ("RemotePort", Int),
            ("RemoteUrl", String),
            ("LocalIP", String),
            ("InitiatingProcessFileName", String),
            ("InitiatingProcessFolderPath", String),
            ("ReportId", Long),
            ("AdditionalFields", Dynamic),
        ]),
    );
    tables.insert(
        "DeviceInfo".to_string(),
        columns(&[
            ("Timestamp", DateTime),
            ("DeviceId", String),
            ("DeviceName", String),
            ("PublicIP", String),
        ]),
    );
    TestCatalog { tables }
}

pub const NOW: i64 = 1_700_000_000_000_000_000;

pub fn try_bind_with(catalog: &TestCatalog, text: &str) -> Result<BoundQuery, Vec<Diagnostic>> {
    let query = kql_syntax::parse(text)?;
    bind(&query, catalog, &BindOptions { now: NOW })
}

/// The result schema as `Name:type` strings.
pub fn schema(text: &str) -> Vec<std::string::String> {
    schema_with(&catalog(), text)
}

/// The result schema over a given catalog.
pub fn schema_with(catalog: &TestCatalog, text: &str) -> Vec<std::string::String> {
    match try_bind_with(catalog, text) {
        Ok(bound) => bound
            .columns()
            .iter()
            .map(|c| format!("{}:{}", c.name, c.ty))
            .collect(),
        Err(diagnostics) => panic!("{text}\n{diagnostics:#?}"),
    }
}

/// The first diagnostic of a query that must fail.
pub fn error(text: &str) -> Diagnostic {
    error_with(&catalog(), text)
}

/// The first diagnostic of a query that must fail over a given catalog.
pub fn error_with(catalog: &TestCatalog, text: &str) -> Diagnostic {
    match try_bind_with(catalog, text) {
        Ok(bound) => panic!("{text} bound to {:?}", bound.columns()),
        Err(mut diagnostics) => diagnostics.remove(0),
    }
}
