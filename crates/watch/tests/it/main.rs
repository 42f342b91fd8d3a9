//! torhunt-watch against a generated fleet delivered hour by hour, and its webhook against a test
//! server.

#![allow(clippy::unwrap_used, reason = "a panic fails the test")]

mod fleet;
mod late_data;
pub mod receiver;
mod suppression;
mod webhook;
