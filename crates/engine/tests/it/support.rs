//! Helpers shared by the engine's integration tests.

use std::path::PathBuf;

use serde_json::Value;
use torhunt_engine::output::rows_json;
use torhunt_engine::{Engine, EngineConfig};

/// `../shared` beside the workspace, or `None` (with a note on stdout) in a clone without it.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipping: ../shared not found (it holds the conformance cases and fixtures)");
        None
    }
}

/// Column names, .NET type names and rows of a query's result.
pub struct Answer {
    pub columns: Vec<String>,
    pub types: Vec<&'static str>,
    pub rows: Vec<Vec<Value>>,
}

/// Runs a query; the error is the diagnostic's text.
pub async fn run(kql: &str) -> Result<Answer, String> {
    let engine = Engine::new(EngineConfig::default()).map_err(|e| e.to_string())?;
    let result = engine.query(kql).await.map_err(|e| e.to_string())?;
    Ok(Answer {
        columns: result.columns.iter().map(|c| c.name.clone()).collect(),
        types: result.columns.iter().map(|c| c.ty.dotnet_name()).collect(),
        rows: rows_json(&result.columns, &result.batches).collect(),
    })
}

/// Runs a query that must succeed.
pub async fn answer(kql: &str) -> Answer {
    run(kql).await.unwrap_or_else(|e| panic!("{kql}\nfailed: {e}"))
}
