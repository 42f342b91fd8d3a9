//! Dynamic (array and property bag) functions.

use kql_types::KustoType::{Bool, Dynamic, Long, Real, String};

use super::Param::{Any, Dynamic as DynamicParam, Integer, Str};
use super::Returns::Fixed;
use super::Signature as S;

pub(super) const FUNCTIONS: &[S] = &[
    S::new("array_length", &[DynamicParam], Fixed(Long)),
    S::new("bag_keys", &[DynamicParam], Fixed(Dynamic)),
    S::new("pack", &[Str, DynamicParam], Fixed(Dynamic)).repeating(2),
    S::new("bag_pack", &[Str, DynamicParam], Fixed(Dynamic)).repeating(2),
    S::new("pack_array", &[DynamicParam], Fixed(Dynamic)).variadic(),
    S::new("array_concat", &[DynamicParam], Fixed(Dynamic)).variadic(),
    S::new("array_slice", &[DynamicParam, Integer, Integer], Fixed(Dynamic)),
    S::new("set_union", &[DynamicParam, DynamicParam], Fixed(Dynamic)).variadic(),
    S::new("set_intersect", &[DynamicParam, DynamicParam], Fixed(Dynamic)).variadic(),
    S::new(
        "array_index_of",
        &[DynamicParam, DynamicParam, Integer, Integer, Integer],
        Fixed(Long),
    )
    .optional_from(2),
    S::new("bag_merge", &[DynamicParam, DynamicParam], Fixed(Dynamic)).variadic(),
    S::new("bag_zip", &[DynamicParam, DynamicParam], Fixed(Dynamic)),
    S::new("bag_remove_keys", &[DynamicParam, DynamicParam], Fixed(Dynamic)),
    // `indices` is a long or an array of longs.
    S::new("array_split", &[DynamicParam, DynamicParam], Fixed(Dynamic)),
    S::new("strcat_array", &[DynamicParam, Str], Fixed(String)),
    S::new("bag_has_key", &[DynamicParam, Str], Fixed(Bool)),
    S::new("set_difference", &[DynamicParam, DynamicParam], Fixed(Dynamic)).variadic(),
    S::new("jaccard_index", &[DynamicParam, DynamicParam], Fixed(Real)),
    S::new(
        "array_iff",
        &[DynamicParam, DynamicParam, DynamicParam],
        Fixed(Dynamic),
    ),
    S::new("array_reverse", &[DynamicParam], Fixed(Dynamic)),
    S::new("array_sum", &[DynamicParam], Fixed(Real)),
    S::new("array_rotate_left", &[DynamicParam, Integer], Fixed(Dynamic)),
    S::new("array_rotate_right", &[DynamicParam, Integer], Fixed(Dynamic)),
    S::new(
        "array_shift_left",
        &[DynamicParam, Integer, DynamicParam],
        Fixed(Dynamic),
    )
    .optional_from(2),
    S::new(
        "array_shift_right",
        &[DynamicParam, Integer, DynamicParam],
        Fixed(Dynamic),
    )
    .optional_from(2),
    // `nulls_last` is taken as is: the function refuses further arrays (one result column each), which
    // it does not implement, instead of reading them as a bool.
    S::new("array_sort_asc", &[DynamicParam, Any], Fixed(Dynamic)).optional_from(1),
    S::new("array_sort_desc", &[DynamicParam, Any], Fixed(Dynamic)).optional_from(1),
    // start, stop, step: numbers, datetimes or timespans (the UDF checks which).
    S::new("range", &[Any, Any, Any], Fixed(Dynamic)).optional_from(2),
];
