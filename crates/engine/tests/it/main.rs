//! Integration tests of the engine: whole queries, text to rows.

#![allow(clippy::unwrap_used, reason = "a panic fails the test")]

mod array_sort_tuples;
mod builtins;
mod conformance;
mod conversions;
mod coverage;
mod differential;
mod doc_cases;
mod externaldata;
mod functions;
mod geo_polygon_lookup;
mod geoip;
mod hierarchies;
mod ip_lookup;
mod membership;
mod mmdb;
mod properties;
mod sampling;
mod search_find;
mod sequences;
mod sessions;
mod subqueries;
mod support;
mod views;
mod weighted_percentiles;
