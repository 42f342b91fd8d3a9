//! End-to-end checks of the Kusto functions through DataFusion DataFrames.

#![allow(clippy::unwrap_used, reason = "a panic fails the test")]

mod aggregate_it;
mod datetime_it;
mod strings_it;
