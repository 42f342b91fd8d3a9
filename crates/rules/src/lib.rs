//! Detection rules: the documents they come in, and (later) the catalog, alerts and hunt runner.

pub mod document;

pub use document::{QuerySource, RuleQuery, load_queries};
