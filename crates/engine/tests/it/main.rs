//! Integration tests of the engine: whole queries, text to rows.

mod conformance;
mod externaldata;
mod hierarchies;
mod subqueries;
mod support;
