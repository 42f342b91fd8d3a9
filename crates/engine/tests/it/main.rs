//! Integration tests of the engine: whole queries, text to rows.

mod conformance;
mod coverage;
mod differential;
mod externaldata;
mod functions;
mod hierarchies;
mod ip_lookup;
mod membership;
mod properties;
mod sampling;
mod search_find;
mod sequences;
mod subqueries;
mod support;
mod views;
