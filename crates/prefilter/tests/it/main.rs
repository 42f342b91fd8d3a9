//! The prefilter's one promise: a record whose values satisfy the exact predicate is always admitted,
//! whatever escapes, quoting and case variants its writer used.

mod examples;
mod properties;
mod reference;
