//! Integration tests of the engine: whole queries, text to rows.

mod conformance;
mod externaldata;
mod functions;
mod hierarchies;
mod sampling;
mod search_find;
mod subqueries;
mod support;
