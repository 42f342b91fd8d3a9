//! Property tests against models written from the Kusto documentation, where the semantics are
//! arithmetic: division and modulo over every sign ([`arithmetic`]), binning and rounding of
//! negative numbers, timespans and datetimes ([`rounding`]), string slicing ([`substring`], and
//! across `substring`/`indexof`/`extract` in [`slicing`]) and the
//! text formats the conversion functions accept ([`conversions`]). Each case puts many generated rows
//! into one `datatable` query and compares every row with the model; what the documentation leaves
//! open (integer division by zero, overflow) must be refused, never answered.

mod arithmetic;
mod conversions;
mod rounding;
mod slicing;
mod substring;

use proptest::test_runner::Config;
use serde_json::Value;
use torhunt_engine::output::rows_json;
use torhunt_engine::{Engine, EngineConfig};

/// Runs queries on one engine, from synchronous property tests.
pub struct Runner {
    runtime: tokio::runtime::Runtime,
    engine: Engine,
}

impl Runner {
    pub fn new() -> Runner {
        Runner {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime"),
            engine: Engine::new(EngineConfig {
                threads: Some(1),
                ..EngineConfig::default()
            })
            .expect("an engine"),
        }
    }

    /// A runner whose engine looks IP addresses up in the MaxMind-format database at `path`.
    pub fn with_geoip(path: &std::path::Path) -> Runner {
        let mut runner = Runner::new();
        runner.engine.load_geoip(path).expect("the database loads");
        runner
    }

    /// The rows of a query, or its error's text.
    pub fn run(&self, kql: &str) -> Result<Vec<Vec<Value>>, String> {
        self.run_typed(kql).map(|(_, rows)| rows)
    }

    /// The .NET type names of a query's columns and its rows, or its error's text.
    pub fn run_typed(&self, kql: &str) -> Result<(Vec<&'static str>, Vec<Vec<Value>>), String> {
        let result = self
            .runtime
            .block_on(self.engine.query(kql))
            .map_err(|e| e.to_string())?;
        let types = result.columns.iter().map(|c| c.ty.dotnet_name()).collect();
        Ok((types, rows_json(&result.columns, &result.batches).collect()))
    }

    /// The rows of a query that must succeed.
    pub fn rows(&self, kql: &str) -> Vec<Vec<Value>> {
        self.run(kql)
            .unwrap_or_else(|error| panic!("{kql}\nfailed: {error}"))
    }
}

/// Few cases of many rows each: every case is one query.
pub fn config() -> Config {
    Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    }
}

/// A `real` as a KQL literal that reads back as the same number (the generators make reals that
/// print without an exponent).
pub fn real_literal(value: f64) -> String {
    format!("real({value:?})")
}
