//! Helpers shared by the engine's integration tests.

use serde_json::Value;
use torhunt_engine::output::rows_json;
use torhunt_engine::{Engine, EngineConfig};

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
