//! Numeric functions.

use kql_types::KustoType::{Bool, Long, Real, String};

use super::Param::{Binnable, Integer, Num, Str};
use super::ResultName::FirstArgument;
use super::Returns::{ArgType, Fixed, Promoted};
use super::Signature as S;

pub(super) const FUNCTIONS: &[S] = &[
    S::new("abs", &[Num], Promoted).named(FirstArgument),
    S::new("round", &[Num, Integer], ArgType(0))
        .optional_from(1)
        .named(FirstArgument),
    S::new("ceiling", &[Num], ArgType(0)).named(FirstArgument),
    S::new("sqrt", &[Num], Fixed(Real)).named(FirstArgument),
    S::new("log", &[Num], Fixed(Real)).named(FirstArgument),
    S::new("log10", &[Num], Fixed(Real)).named(FirstArgument),
    S::new("log2", &[Num], Fixed(Real)).named(FirstArgument),
    S::new("exp", &[Num], Fixed(Real)).named(FirstArgument),
    S::new("exp2", &[Num], Fixed(Real)).named(FirstArgument),
    S::new("exp10", &[Num], Fixed(Real)).named(FirstArgument),
    S::new("pow", &[Num, Num], Fixed(Real)).named(FirstArgument),
    S::new("atan2", &[Num, Num], Fixed(Real)).named(FirstArgument),
    S::new("radians", &[Num], Fixed(Real)).named(FirstArgument),
    S::new("degrees", &[Num], Fixed(Real)).named(FirstArgument),
    S::new("erf", &[Num], Fixed(Real)).named(FirstArgument),
    S::new("erfc", &[Num], Fixed(Real)).named(FirstArgument),
    // value, from unit, to unit.
    S::new("convert_angle", &[Num, Str, Str], Fixed(Real)),
    S::new("convert_force", &[Num, Str, Str], Fixed(Real)),
    S::new("convert_length", &[Num, Str, Str], Fixed(Real)),
    S::new("convert_mass", &[Num, Str, Str], Fixed(Real)),
    S::new("convert_speed", &[Num, Str, Str], Fixed(Real)),
    S::new("gamma", &[Num], Fixed(Real)).named(FirstArgument),
    // x (or probability), alpha, beta.
    S::new("beta_cdf", &[Num, Num, Num], Fixed(Real)),
    S::new("beta_pdf", &[Num, Num, Num], Fixed(Real)),
    S::new("beta_inv", &[Num, Num, Num], Fixed(Real)),
    // mean1, variance1, count1, mean2, variance2, count2.
    S::new("welch_test", &[Num, Num, Num, Num, Num, Num], Fixed(Real)),
    S::new("loggamma", &[Num], Fixed(Real)).named(FirstArgument),
    S::new("sign", &[Num], Fixed(Real)),
    S::new("isnan", &[Num], Fixed(Bool)),
    S::new("isinf", &[Num], Fixed(Bool)),
    S::new("isfinite", &[Num], Fixed(Bool)),
    S::new("min_of", &[Num, Num], Promoted).variadic(),
    S::new("max_of", &[Num, Num], Promoted).variadic(),
    S::new("binary_and", &[Integer, Integer], Fixed(Long)).named(FirstArgument),
    S::new("binary_or", &[Integer, Integer], Fixed(Long)).named(FirstArgument),
    S::new("binary_xor", &[Integer, Integer], Fixed(Long)).named(FirstArgument),
    S::new("binary_not", &[Integer], Fixed(Long)).named(FirstArgument),
    S::new("binary_shift_left", &[Integer, Integer], Fixed(Long)).named(FirstArgument),
    S::new("binary_shift_right", &[Integer, Integer], Fixed(Long)).named(FirstArgument),
    S::new("tohex", &[Integer, Integer], Fixed(String))
        .optional_from(1)
        .named(FirstArgument),
    S::new("pi", &[], Fixed(Real)),
    // A random number in [0, 1), new for each row.
    S::new("rand", &[], Fixed(Real)),
    // `bin`/`floor` of a datetime or timespan keep its type; numbers promote with the bin size.
    S::new("bin", &[Binnable, Binnable], Promoted).named(FirstArgument),
    S::new("around", &[Binnable, Binnable, Binnable], Fixed(Bool)),
    S::new("floor", &[Binnable, Binnable], Promoted).named(FirstArgument),
    S::new("bin_at", &[Binnable, Binnable, Binnable], Promoted).named(FirstArgument),
];
