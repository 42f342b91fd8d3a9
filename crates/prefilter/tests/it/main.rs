//! The prefilter's one promise: a record whose values satisfy the exact predicate is always admitted,
//! whatever escapes, quoting and case variants its writer used.

#![allow(clippy::unwrap_used, reason = "a panic fails the test")]

mod examples;
mod properties;
mod reference;
