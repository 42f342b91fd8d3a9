//! `welch_test(mean1, variance1, count1, mean2, variance2, count2)`: the two-sided p-value of Welch's
//! unequal-variances t-test, with Welch–Satterthwaite degrees of freedom. The Student t tail is an
//! incomplete beta: P(|T| > |t|) = I_(df/(df+t²))(df/2, 1/2). Degenerate inputs (a count of 1, both
//! variances 0) give NaN.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array};
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::logical_expr::ScalarUDF;

use super::beta_distribution::cumulative;
use super::kernel::{KernelUdf, coerce_all_to_real};
use crate::declare::*;

const NAME: &str = "kql_welch_test";

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        KernelUdf::new(
            NAME,
            |types| coerce_all_to_real(NAME, types, 6),
            |_| Ok(DataType::Float64),
            |args| {
                let columns: Vec<_> = args.iter().map(|a| a.as_primitive::<Float64Type>()).collect();
                let values: Float64Array = (0..args[0].len())
                    .map(|row| {
                        let sample = |i: usize| columns[i].is_valid(row).then(|| columns[i].value(row));
                        let first = (sample(0)?, sample(1)?, sample(2)?);
                        let second = (sample(3)?, sample(4)?, sample(5)?);
                        Some(p_value(first, second))
                    })
                    .collect();
                Ok(Arc::new(values) as ArrayRef)
            },
        )
        .into_udf()
    )
}

pub(crate) static WELCH_TEST: KustoFunction = KustoFunction::scalar(
    // mean1, variance1, count1, mean2, variance2, count2.
    Signature::scalar(
        "welch_test",
        &[P::Num, P::Num, P::Num, P::Num, P::Num, P::Num],
        R::Fixed(T::Real),
    ),
    udf,
);

/// The p-value for two samples given as (mean, variance, count).
fn p_value((mean1, variance1, count1): (f64, f64, f64), (mean2, variance2, count2): (f64, f64, f64)) -> f64 {
    let (error1, error2) = (variance1 / count1, variance2 / count2);
    let standard_error = error1 + error2;
    let t = (mean1 - mean2) / standard_error.sqrt();
    let freedom = standard_error * standard_error
        / (error1 * error1 / (count1 - 1.0) + error2 * error2 / (count2 - 1.0));
    if !(t.is_finite() && freedom.is_finite() && freedom > 0.0) {
        return f64::NAN;
    }
    cumulative(freedom / (freedom + t * t), freedom / 2.0, 0.5)
}

#[cfg(test)]
mod tests {
    use super::super::kernel::testing::real;
    use super::*;

    #[test]
    fn docs_example() {
        // The docs' Wikipedia samples: m1=20.82, v1=7.8674285714, c1=15, m2=22.986666666666668,
        // v2=3.8126666667, c2=15 -> pValue 0.02137800146286441 (emulator; the docs say 0.021).
        let args = [20.82, 7.8674285714, 15.0, 22.986666666666668, 3.8126666667, 15.0].map(Some);
        let value = real(&udf(), &args).expect("a value");
        assert!((value - 0.02137800146286441).abs() < 1e-9, "{value}");
    }

    #[test]
    fn equal_samples_and_degenerate_ones() {
        assert!((p_value((5.0, 2.0, 10.0), (5.0, 2.0, 10.0)) - 1.0).abs() < 1e-12);
        assert!(p_value((5.0, 2.0, 1.0), (6.0, 2.0, 1.0)).is_nan());
        assert_eq!(
            real(
                &udf(),
                &[Some(1.0), None, Some(2.0), Some(1.0), Some(1.0), Some(2.0)]
            ),
            None
        );
    }
}
