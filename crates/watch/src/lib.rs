//! Continuous detection (`torhunt watch`): rules run on their Sentinel schedule over telemetry
//! folders and storage containers that keep growing; records that arrive late are still evaluated
//! by every rule whose window they belong to; each alert is written once, across overlapping
//! windows and restarts.
//!
//! - [`files`]: what is new (files and byte offsets); [`containers`]: the same for blobs (ETags, ranged
//!   reads); [`staging`]: new records as telemetry of their own
//! - [`schedule`]: ticks, frequencies and periods; [`evaluation`]: row by row or by windows
//! - [`cycle`]: one cycle, in the order that makes restarts safe; [`state`]: the state folder;
//!   [`lock`]: one watcher per state folder
//! - [`identity`]: alert ids; [`sinks`]: NDJSON file and webhook; [`status`]: what the operator sees
//!
//! The design and its limits: docs/watch.md.

pub mod containers;
pub mod cycle;
pub mod error;
pub mod evaluation;
pub mod files;
pub mod identity;
pub mod lock;
pub mod schedule;
pub mod sinks;
pub mod staging;
pub mod state;
pub mod status;

pub use cycle::{CycleReport, Watch};
pub use error::WatchError;
pub use lock::StateLock;
pub use sinks::webhook::Webhook;
pub use state::State;
