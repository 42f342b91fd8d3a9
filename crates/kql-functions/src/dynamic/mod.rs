//! Kusto dynamic functions. Dynamic values are compact JSON text in `Utf8` (see [`json`]); functions
//! that take values of other Kusto types receive them through `kql_to_dynamic`.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

mod array_concat;
mod array_length;
mod array_slice;
mod bag_keys;
mod dynamic_get;
mod dynamic_to_list;
pub(crate) mod json;
mod pack;
mod set_ops;
mod to_dynamic;

pub fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![
        to_dynamic::to_dynamic(),
        array_length::array_length(),
        bag_keys::bag_keys(),
        pack::bag_pack(),
        pack::pack(),
        pack::pack_array(),
        dynamic_get::dynamic_get(),
        dynamic_to_list::dynamic_to_list(),
        array_concat::array_concat(),
        array_slice::array_slice(),
        set_ops::set_union(),
        set_ops::set_intersect(),
    ]
}
