//! Kusto dynamic functions. Dynamic values are compact JSON text in `Utf8` (see [`json`]); functions
//! that take values of other Kusto types receive them through `kql_to_dynamic`.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

mod array_concat;
mod array_iff;
mod array_index_of;
mod array_length;
mod array_reverse;
mod array_rotate;
mod array_shift;
mod array_slice;
mod array_sort;
mod array_split;
mod array_sum;
mod bag_has_key;
mod bag_keys;
mod bag_merge;
mod bag_remove_keys;
mod bag_zip;
mod dynamic_get;
mod dynamic_to_list;
mod jaccard_index;
pub(crate) mod json;
mod pack;
mod range;
mod set_difference;
mod set_ops;
mod strcat_array;
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
        set_difference::set_difference(),
        jaccard_index::jaccard_index(),
        array_iff::array_iff(),
        array_reverse::array_reverse(),
        array_rotate::array_rotate_left(),
        array_rotate::array_rotate_right(),
        array_shift::array_shift_left(),
        array_shift::array_shift_right(),
        array_sort::array_sort_asc(),
        array_sort::array_sort_desc(),
        array_sum::array_sum(),
        bag_has_key::bag_has_key(),
        bag_zip::bag_zip(),
        array_index_of::array_index_of(),
        bag_merge::bag_merge(),
        bag_remove_keys::bag_remove_keys(),
        array_split::array_split(),
        strcat_array::strcat_array(),
        range::range(),
    ]
}
