//! Integration tests of the engine: whole queries, text to rows.

mod builtins;
mod conformance;
mod conversions;
mod coverage;
mod differential;
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
