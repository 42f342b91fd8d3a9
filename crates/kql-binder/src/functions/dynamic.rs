//! Dynamic (array and property bag) functions.

use kql_types::KustoType::{Dynamic, Long};

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
        &[DynamicParam, Any, Integer, Integer, Integer],
        Fixed(Long),
    )
    .optional_from(2),
    S::new("bag_merge", &[DynamicParam, DynamicParam], Fixed(Dynamic)).variadic(),
];
