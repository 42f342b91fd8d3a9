//! Acceptance tests for torhunt-intel: real Tor fixtures from ../shared, synthetic documents from
//! tests/data, a local HTTP server for `update`.

#![allow(clippy::unwrap_used, reason = "a panic fails the test")]

mod completeness;
mod history;
mod parsers;
mod render;
mod store;
mod udf;
mod update;

use std::path::PathBuf;

/// The real Tor documents of `../shared/fixtures/tor`, or `None` when the test skips (see `shared-fixtures`).
pub fn tor_fixtures() -> Option<PathBuf> {
    shared_fixtures::path("fixtures/tor")
}

/// A synthetic document under tests/data.
pub fn test_data(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data")).join(name)
}

pub fn utc(text: &str) -> chrono::DateTime<chrono::Utc> {
    torhunt_intel::parse_user_time(text).expect("test times are valid")
}

pub fn ip(text: &str) -> std::net::IpAddr {
    text.parse().expect("test addresses are valid")
}
