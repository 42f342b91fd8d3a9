//! Integration tests of the engine: whole queries, text to rows.

#![allow(clippy::unwrap_used, reason = "a panic fails the test")]

mod builtins;
mod conformance;
mod conversions;
mod coverage;
mod differential;
mod doc_cases;
mod externaldata;
mod functions;
mod geoip;
mod hierarchies;
mod ip_lookup;
mod membership;
mod mmdb;
mod properties;
mod sampling;
mod search_find;
mod sequences;
mod subqueries;
mod support;
mod views;
