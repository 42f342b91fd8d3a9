//! Binder integration tests: naming and typing rules as Kusto's own analyser reports them, semantic
//! errors, refusals, and a differential run against the Kusto.Language oracle.

#![allow(clippy::unwrap_used, reason = "a panic fails the test")]

mod support;

mod conversions;
mod errors;
mod naming;
mod oracle;
mod search_find;
mod typing;
