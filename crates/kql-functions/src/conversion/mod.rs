//! Kusto conversion functions.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

pub(crate) mod render;
mod to_number;
mod tobool;
mod todynamic;
mod toguid;
mod tostring;

pub fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![
        tostring::tostring(),
        tostring::tostring_dynamic(),
        to_number::tolong(),
        to_number::toint(),
        to_number::todouble(),
        to_number::toreal(),
        tobool::tobool(),
        toguid::toguid(),
        todynamic::todynamic(),
        todynamic::parse_json(),
    ]
}
