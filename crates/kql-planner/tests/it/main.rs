//! End-to-end planner tests: KQL text is parsed, bound and planned, the plan runs on a DataFusion
//! session over in-memory tables, and the rows are compared with the results the Kusto documentation
//! gives (or, for Kusto rules the docs state in prose, with rows derived from that rule).

#![allow(clippy::unwrap_used, reason = "a panic fails the test")]

mod support;

mod functions;
mod joins;
mod operators;
mod seed_rules;
mod semantics;
mod windows;
