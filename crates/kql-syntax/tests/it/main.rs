//! Integration tests of the KQL front end: one binary, one module per area.

mod differential;
mod errors;
mod expressions;
mod literals;
mod operators;
mod robustness;
mod support;
