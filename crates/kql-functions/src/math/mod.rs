//! Kusto math functions.

use crate::registry::KustoFunction;

mod abs;
mod acos;
pub mod arithmetic;
mod around;
mod asin;
mod atan;
mod atan2;
mod beta_cdf;
mod beta_distribution;
mod beta_inv;
mod beta_pdf;
mod binary_and;
mod binary_not;
mod binary_or;
mod binary_shift_left;
mod binary_shift_right;
mod binary_xor;
mod bitset_count_ones;
mod bitwise;
mod ceiling;
pub mod checked;
mod convert_angle;
mod convert_force;
mod convert_length;
mod convert_mass;
mod convert_speed;
mod cos;
mod cot;
mod degrees;
mod erf;
mod erfc;
mod exp;
mod exp10;
mod exp2;
mod extremum;
mod float_class;
mod gamma;
mod isfinite;
mod isinf;
mod isnan;
pub(crate) mod kernel;
mod log;
mod log10;
mod log2;
mod loggamma;
mod max_of;
mod min_of;
mod pi;
mod pow;
mod radians;
mod rand;
mod round;
mod sign;
mod sin;
mod sqrt;
mod tan;
mod tohex;
mod unit_conversion;
mod welch_test;

/// Internal steps of the arithmetic operators.
pub(crate) const INTERNAL: &[&crate::registry::InternalFunction] =
    &[&checked::ADD, &checked::SUBTRACT, &checked::MULTIPLY];

/// The family's functions, each declared in its own file.
pub(crate) const FUNCTIONS: &[&KustoFunction] = &[
    &abs::ABS,
    &atan2::ATAN2,
    &beta_cdf::BETA_CDF,
    &beta_inv::BETA_INV,
    &beta_pdf::BETA_PDF,
    &binary_and::BINARY_AND,
    &binary_not::BINARY_NOT,
    &binary_or::BINARY_OR,
    &binary_shift_left::BINARY_SHIFT_LEFT,
    &binary_shift_right::BINARY_SHIFT_RIGHT,
    &binary_xor::BINARY_XOR,
    &ceiling::CEILING,
    &degrees::DEGREES,
    &erf::ERF,
    &erfc::ERFC,
    &convert_angle::CONVERT_ANGLE,
    &convert_force::CONVERT_FORCE,
    &convert_length::CONVERT_LENGTH,
    &convert_mass::CONVERT_MASS,
    &convert_speed::CONVERT_SPEED,
    &exp::EXP,
    &exp10::EXP10,
    &exp2::EXP2,
    &gamma::GAMMA,
    &isfinite::ISFINITE,
    &isinf::ISINF,
    &isnan::ISNAN,
    &log::LOG,
    &log10::LOG10,
    &log2::LOG2,
    &loggamma::LOGGAMMA,
    &max_of::MAX_OF,
    &min_of::MIN_OF,
    &pi::PI,
    &pow::POW,
    &radians::RADIANS,
    &round::ROUND,
    &sign::SIGN,
    &sqrt::SQRT,
    &tohex::TOHEX,
    &welch_test::WELCH_TEST,
    &around::AROUND,
    &rand::RAND,
    &sin::SIN,
    &cos::COS,
    &tan::TAN,
    &asin::ASIN,
    &acos::ACOS,
    &atan::ATAN,
    &cot::COT,
    &bitset_count_ones::BITSET_COUNT_ONES,
];
