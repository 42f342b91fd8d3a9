//! Kusto string operators (`has`, `contains`, `=~`, `in~`, `matches regex`, ...) as functions. Only
//! the positive forms exist: the planner writes `!has` as `NOT kql_has(...)`.

use crate::registry::{InternalFunction, KustoFunction};

mod affix;
mod contains;
mod endswith;
mod equals_ci;
mod has;
mod has_any;
mod has_any_index;
mod hasprefix;
mod hassuffix;
mod in_ci;
mod matcher;
mod matches_regex;
mod startswith;
pub(crate) mod value_list;

/// The family's functions, each declared in its own file.
pub(crate) const FUNCTIONS: &[&KustoFunction] = &[&has_any_index::HAS_ANY_INDEX];

/// Operators and internal steps the binder and planner call by name.
pub(crate) const INTERNAL: &[&InternalFunction] = &[
    &has::HAS,
    &has::HAS_CS,
    &hasprefix::HASPREFIX,
    &hasprefix::HASPREFIX_CS,
    &hassuffix::HASSUFFIX,
    &hassuffix::HASSUFFIX_CS,
    &contains::CONTAINS,
    &contains::CONTAINS_CS,
    &startswith::STARTSWITH,
    &startswith::STARTSWITH_CS,
    &endswith::ENDSWITH,
    &endswith::ENDSWITH_CS,
    &equals_ci::EQUALS_CI,
    &in_ci::IN_CI,
    &has_any::HAS_ANY,
    &has_any::HAS_ALL,
    &matches_regex::MATCHES_REGEX,
];
