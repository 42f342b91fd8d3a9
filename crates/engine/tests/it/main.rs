//! Integration tests of the engine: whole queries, text to rows.

mod conformance;
mod externaldata;
mod subqueries;
mod support;
