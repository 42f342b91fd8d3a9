//! torhunt-watch against a generated fleet delivered hour by hour (into a folder, and into containers
//! of a real Azurite), and its webhook against a test server.

#![allow(clippy::unwrap_used, reason = "a panic fails the test")]

mod containers;
mod fleet;
mod late_data;
mod lock;
pub mod receiver;
mod suppression;
mod webhook;
