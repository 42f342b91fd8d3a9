//! Kusto dynamic functions. Dynamic values are compact JSON text in `Utf8` (see [`json`]); functions
//! that take values of other Kusto types receive them through `kql_to_dynamic`.

use crate::registry::{InternalFunction, KustoFunction};

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
mod dynamic_to_json;
mod dynamic_to_list;
mod extract_json;
mod jaccard_index;
pub(crate) mod json;
mod json_path;
mod pack;
mod range;
mod repeat;
mod set_difference;
mod set_has_element;
mod set_ops;
mod strcat_array;
pub(crate) mod to_dynamic;
mod zip;

/// The family's functions, each declared in its own file.
pub(crate) const FUNCTIONS: &[&KustoFunction] = &[
    &array_length::ARRAY_LENGTH,
    &bag_keys::BAG_KEYS,
    &pack::BAG_PACK,
    &pack::PACK,
    &pack::PACK_ARRAY,
    &array_concat::ARRAY_CONCAT,
    &array_slice::ARRAY_SLICE,
    &set_ops::SET_UNION,
    &set_ops::SET_INTERSECT,
    &set_difference::SET_DIFFERENCE,
    &jaccard_index::JACCARD_INDEX,
    &array_iff::ARRAY_IFF,
    &array_reverse::ARRAY_REVERSE,
    &array_rotate::ARRAY_ROTATE_LEFT,
    &array_rotate::ARRAY_ROTATE_RIGHT,
    &array_shift::ARRAY_SHIFT_LEFT,
    &array_shift::ARRAY_SHIFT_RIGHT,
    &array_sort::ARRAY_SORT_ASC,
    &array_sort::ARRAY_SORT_DESC,
    &array_sum::ARRAY_SUM,
    &bag_has_key::BAG_HAS_KEY,
    &bag_zip::BAG_ZIP,
    &array_index_of::ARRAY_INDEX_OF,
    &bag_merge::BAG_MERGE,
    &bag_remove_keys::BAG_REMOVE_KEYS,
    &array_split::ARRAY_SPLIT,
    &strcat_array::STRCAT_ARRAY,
    &range::RANGE,
    &extract_json::EXTRACT_JSON,
    &dynamic_to_json::DYNAMIC_TO_JSON,
    &repeat::REPEAT,
    &zip::ZIP,
    &set_has_element::SET_HAS_ELEMENT,
];

/// Operators and internal steps the binder and planner call by name.
pub(crate) const INTERNAL: &[&InternalFunction] =
    &[&dynamic_get::DYNAMIC_GET, &dynamic_to_list::DYNAMIC_TO_LIST];
