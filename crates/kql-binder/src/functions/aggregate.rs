//! Aggregate functions (`summarize`). `arg_max`/`arg_min` expand to several columns and are bound
//! separately.

use kql_types::KustoType::{Dynamic, Long, Real};

use super::Param::{Any, Bool, Dynamic as DynamicParam, Integer, Num};
use super::ResultName::{FirstArgument, Percentile, Prefixed, PrefixedPair};
use super::Returns::{ArgType, Fixed, Sum};
use super::Signature as S;

pub(super) const FUNCTIONS: &[S] = &[
    S::new("count", &[Any], Fixed(Long))
        .optional_from(0)
        .named(Prefixed("count")),
    S::new("countif", &[Bool], Fixed(Long)).named(Prefixed("countif")),
    S::new("dcount", &[Any, Integer], Fixed(Long))
        .optional_from(1)
        .named(Prefixed("dcount")),
    S::new("dcountif", &[Any, Bool, Integer], Fixed(Long))
        .optional_from(2)
        .named(Prefixed("dcountif")),
    S::new("sum", &[Num], Sum).named(Prefixed("sum")),
    S::new("sumif", &[Num, Bool], Sum).named(Prefixed("sumif")),
    S::new("avg", &[Num], Fixed(Real)).named(Prefixed("avg")),
    S::new("avgif", &[Num, Bool], Fixed(Real)).named(Prefixed("avgif")),
    S::new("min", &[Any], ArgType(0)).named(Prefixed("min")),
    S::new("max", &[Any], ArgType(0)).named(Prefixed("max")),
    S::new("minif", &[Any, Bool], ArgType(0)).named(Prefixed("minif")),
    S::new("maxif", &[Any, Bool], ArgType(0)).named(Prefixed("maxif")),
    S::new("make_set", &[Any, Integer], Fixed(Dynamic))
        .optional_from(1)
        .named(Prefixed("set")),
    S::new("make_set_if", &[Any, Bool, Integer], Fixed(Dynamic))
        .optional_from(2)
        .named(Prefixed("set")),
    S::new("make_list", &[Any, Integer], Fixed(Dynamic))
        .optional_from(1)
        .named(Prefixed("list")),
    S::new("make_list_if", &[Any, Bool, Integer], Fixed(Dynamic))
        .optional_from(2)
        .named(Prefixed("list")),
    S::new("make_bag", &[DynamicParam, Integer], Fixed(Dynamic))
        .optional_from(1)
        .named(Prefixed("bag")),
    S::new("make_bag_if", &[DynamicParam, Bool, Integer], Fixed(Dynamic))
        .optional_from(2)
        .named(Prefixed("bag")),
    S::new("take_any", &[Any], ArgType(0)).named(FirstArgument),
    S::new("any", &[Any], ArgType(0)).named(Prefixed("any")),
    S::new("stdev", &[Num], Fixed(Real)).named(Prefixed("stdev")),
    S::new("stdevp", &[Num], Fixed(Real)).named(Prefixed("stdevp")),
    S::new("variance", &[Num], Fixed(Real)).named(Prefixed("variance")),
    S::new("variancep", &[Num], Fixed(Real)).named(Prefixed("variancep")),
    S::new("stdevif", &[Num, Bool], Fixed(Real)).named(Prefixed("stdevif")),
    S::new("varianceif", &[Num, Bool], Fixed(Real)).named(Prefixed("varianceif")),
    S::new("covariance", &[Num, Num], Fixed(Real)).named(PrefixedPair("covariance")),
    S::new("covarianceif", &[Num, Num, Bool], Fixed(Real)).named(PrefixedPair("covarianceif")),
    S::new("binary_all_and", &[Integer], Fixed(Long)).named(Prefixed("binary_all_and")),
    S::new("binary_all_or", &[Integer], Fixed(Long)).named(Prefixed("binary_all_or")),
    S::new("binary_all_xor", &[Integer], Fixed(Long)).named(Prefixed("binary_all_xor")),
    S::new("make_list_with_nulls", &[Any], Fixed(Dynamic)).named(Prefixed("list")),
    S::new("percentile", &[Num, Num], ArgType(0)).named(Percentile),
];
