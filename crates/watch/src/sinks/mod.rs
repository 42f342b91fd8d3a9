//! Where alerts go: an NDJSON file written exactly once per alert across restarts, and a webhook
//! that gets every alert at least once (with its id, for the receiver to drop repeats).

pub mod ndjson;
pub mod webhook;
