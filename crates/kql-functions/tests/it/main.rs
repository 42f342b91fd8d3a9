//! End-to-end checks of the Kusto functions through DataFusion DataFrames.

mod aggregate_it;
mod datetime_it;
mod strings_it;
