//! Integration tests of the KQL front end: one binary, one module per area.

#![allow(clippy::unwrap_used, reason = "a panic fails the test")]

mod differential;
mod errors;
mod expressions;
mod literals;
mod operators;
mod robustness;
mod support;
