//! Kusto string operators (`has`, `contains`, `=~`, `in~`, `matches regex`, ...) as functions. Only
//! the positive forms exist: the planner writes `!has` as `NOT kql_has(...)`.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

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

pub fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![
        has::has(),
        has::has_cs(),
        hasprefix::hasprefix(),
        hasprefix::hasprefix_cs(),
        hassuffix::hassuffix(),
        hassuffix::hassuffix_cs(),
        contains::contains(),
        contains::contains_cs(),
        startswith::startswith(),
        startswith::startswith_cs(),
        endswith::endswith(),
        endswith::endswith_cs(),
        equals_ci::equals_ci(),
        in_ci::in_ci(),
        in_ci::in_ci_dynamic(),
        has_any::has_any(),
        has_any::has_any_dynamic(),
        has_any::has_all(),
        has_any::has_all_dynamic(),
        has_any_index::has_any_index(),
        matches_regex::matches_regex(),
    ]
}
