//! Kusto math functions.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

mod abs;
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
mod bitwise;
mod ceiling;
mod convert_angle;
mod convert_force;
mod convert_length;
mod convert_mass;
mod convert_speed;
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
mod round;
mod sign;
mod sqrt;
mod tohex;
mod unit_conversion;
mod welch_test;

pub fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![
        abs::udf(),
        atan2::udf(),
        beta_cdf::udf(),
        beta_inv::udf(),
        beta_pdf::udf(),
        binary_and::udf(),
        binary_not::udf(),
        binary_or::udf(),
        binary_shift_left::udf(),
        binary_shift_right::udf(),
        binary_xor::udf(),
        ceiling::udf(),
        degrees::udf(),
        erf::udf(),
        erfc::udf(),
        convert_angle::udf(),
        convert_force::udf(),
        convert_length::udf(),
        convert_mass::udf(),
        convert_speed::udf(),
        exp::udf(),
        exp10::udf(),
        exp2::udf(),
        gamma::udf(),
        isfinite::udf(),
        isinf::udf(),
        isnan::udf(),
        log::udf(),
        log10::udf(),
        log2::udf(),
        loggamma::udf(),
        max_of::udf(),
        min_of::udf(),
        pi::udf(),
        pow::udf(),
        radians::udf(),
        round::udf(),
        sign::udf(),
        sqrt::udf(),
        tohex::udf(),
        welch_test::udf(),
    ]
}
