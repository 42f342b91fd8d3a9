//! Defender telemetry readers: Streaming API (Event Hub and Storage layouts), Advanced Hunting portal
//! and Sentinel CSV exports, flat NDJSON and typed Parquet, gzip-compressed or not, as DataFusion tables
//! with Kusto-typed schemas.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use torhunt_sources::{DataSet, ReadOptions};
//! let data = DataSet::discover(&["exports/".into()], &[], ReadOptions::default())?;
//! let context = datafusion::prelude::SessionContext::new();
//! data.register(&context)?;
//! let rows = context.table("DeviceNetworkEvents").await?.count().await?;
//! println!("{rows} rows, {} malformed records skipped", data.report().skipped());
//! # Ok(()) }
//! ```
//!
//! Column rules shared by every layout: string columns are never null (missing reads as `""`), other
//! types read missing values as null; `dynamic` values are compact JSON text (JSON text inside a string is
//! parsed first); `Timestamp` and `TimeGenerated` fill each other when a record has only one; `Type` is
//! the table name when absent; datetimes keep 100 ns ticks; integers are exact.

mod assemble;
mod discover;
mod error;
mod examine;
mod export;
mod format;
mod join_keys;
mod mapped;
mod parquet_pushdown;
mod per_distinct_value;
mod prefilter;
mod profile;
mod provider;
mod read;
mod remote;
mod report;
mod schema;
mod shared_read;
mod time_prefilter;
mod value;
mod walk;
mod wire;

pub use discover::{
    DEFAULT_MAX_RECORD_BYTES, DEFAULT_SHARED_READ_BUDGET, DataSet, NOT_TELEMETRY, ReadOptions, TableSummary,
    UNROUTED,
};
pub use error::{Result, SourceError};
pub use export::{ConvertedTable, TableStats, convert_to_parquet, kusto_datetime_text, table_stats};
pub use format::{Compression, Format, sniff};
pub use provider::{TelemetryScanExec, TelemetryTable};
pub use read::SourceFile;
pub use report::{FileReport, Position, REASONS_KEPT_PER_FILE, ReadReport, SharedReadCounts, SkippedRecord};
pub use schema::{
    CatalogSource, TableSchema, builtin_schema, canonical_table_name, catalog_source, known_tables,
    kusto_language_schema, table_for_action_type,
};
pub use shared_read::{SHARED_READS_RULE, install_shared_reads};
pub use torhunt_storage::{AzureAuth, StorageSettings, Stores};
pub use walk::{Repeat, Walk};
pub use wire::{DistributedScanExec, READ_METRIC, RemoteRead};
