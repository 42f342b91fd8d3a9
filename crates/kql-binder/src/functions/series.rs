//! Series functions: numeric dynamic arrays in, dynamic arrays or reals out.

use kql_types::KustoType::{Dynamic, Real};

use super::Param::{Bool, Dynamic as DynamicParam};
use super::Returns::Fixed;
use super::Signature as S;

/// Two series (or a series and a number) to a series.
const PAIR: &[super::Param] = &[DynamicParam, DynamicParam];

pub(super) const FUNCTIONS: &[S] = &[
    S::new("series_add", PAIR, Fixed(Dynamic)),
    S::new("series_subtract", PAIR, Fixed(Dynamic)),
    S::new("series_multiply", PAIR, Fixed(Dynamic)),
    S::new("series_divide", PAIR, Fixed(Dynamic)),
    S::new("series_equals", PAIR, Fixed(Dynamic)),
    S::new("series_not_equals", PAIR, Fixed(Dynamic)),
    S::new("series_greater", PAIR, Fixed(Dynamic)),
    S::new("series_greater_equals", PAIR, Fixed(Dynamic)),
    S::new("series_less", PAIR, Fixed(Dynamic)),
    S::new("series_less_equals", PAIR, Fixed(Dynamic)),
    S::new("series_acos", &[DynamicParam], Fixed(Dynamic)),
    S::new("series_asin", &[DynamicParam], Fixed(Dynamic)),
    S::new("series_atan", &[DynamicParam], Fixed(Dynamic)),
    S::new("series_ceiling", &[DynamicParam], Fixed(Dynamic)),
    S::new("series_cos", &[DynamicParam], Fixed(Dynamic)),
    S::new("series_exp", &[DynamicParam], Fixed(Dynamic)),
    S::new("series_floor", &[DynamicParam], Fixed(Dynamic)),
    S::new("series_log", &[DynamicParam], Fixed(Dynamic)),
    S::new("series_sin", &[DynamicParam], Fixed(Dynamic)),
    S::new("series_tan", &[DynamicParam], Fixed(Dynamic)),
    S::new("series_magnitude", &[DynamicParam], Fixed(Real)),
    S::new("series_dot_product", PAIR, Fixed(Real)),
    // series, missing_value_placeholder.
    S::new("series_fill_forward", PAIR, Fixed(Dynamic)).optional_from(1),
    S::new("series_fill_backward", PAIR, Fixed(Dynamic)).optional_from(1),
    // series, constant_value, missing_value_placeholder.
    S::new(
        "series_fill_const",
        &[DynamicParam, DynamicParam, DynamicParam],
        Fixed(Dynamic),
    )
    .optional_from(2),
    // series, missing_value_placeholder, fill_edges, constant_value.
    S::new(
        "series_fill_linear",
        &[DynamicParam, DynamicParam, Bool, DynamicParam],
        Fixed(Dynamic),
    )
    .optional_from(1),
    S::new(
        "series_iir",
        &[DynamicParam, DynamicParam, DynamicParam],
        Fixed(Dynamic),
    ),
    S::new("series_stats_dynamic", &[DynamicParam, Bool], Fixed(Dynamic)).optional_from(1),
];
