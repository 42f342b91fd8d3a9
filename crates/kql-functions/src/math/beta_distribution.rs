//! The beta distribution behind `beta_cdf`, `beta_pdf` and `beta_inv`: the regularized incomplete
//! beta function by its continued fraction (modified Lentz), as in Numerical Recipes' `betai`, and
//! its inverse by safeguarded Newton steps.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, Float64Array};
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{KernelUdf, coerce_all_to_real};

/// Relative precision the continued fraction and the inverse aim for.
const PRECISION: f64 = 1e-16;
/// Guards Lentz's method against division by zero.
const TINY: f64 = 1e-300;
/// Enough continued-fraction terms for shape parameters up to Kusto's 10000.
const MAX_TERMS: usize = 20_000;

/// A `(x, alpha, beta) -> real` UDF; `f` gives `Ok(None)` for Kusto's null and errs to refuse.
pub(super) fn beta_udf(
    name: &'static str,
    f: fn(&'static str, f64, f64, f64) -> Result<Option<f64>>,
) -> Arc<ScalarUDF> {
    KernelUdf::new(
        name,
        move |types| coerce_all_to_real(name, types, 3),
        |_| Ok(DataType::Float64),
        move |args: &[ArrayRef]| {
            let [x, alpha, beta] = [0, 1, 2].map(|i| args[i].as_primitive::<Float64Type>());
            let values = x
                .iter()
                .zip(alpha.iter())
                .zip(beta.iter())
                .map(|((x, a), b)| match (x, a, b) {
                    (Some(x), Some(a), Some(b)) => f(name, x, a, b),
                    _ => Ok(None),
                })
                .collect::<Result<Float64Array>>()?;
            Ok(Arc::new(values) as ArrayRef)
        },
    )
    .into_udf()
}

fn ln_beta(a: f64, b: f64) -> f64 {
    libm::lgamma(a) + libm::lgamma(b) - libm::lgamma(a + b)
}

/// The density at `x` in (0, 1), for positive `a` and `b`.
pub(super) fn density(x: f64, a: f64, b: f64) -> f64 {
    ((a - 1.0) * x.ln() + (b - 1.0) * (1.0 - x).ln() - ln_beta(a, b)).exp()
}

/// The regularized incomplete beta function I_x(a, b) for `x` in [0, 1] and positive `a`, `b`.
pub(super) fn cumulative(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = (a * x.ln() + b * (1.0 - x).ln() - ln_beta(a, b)).exp();
    // The continued fraction converges fast below the mean-ish point; above it, use the symmetry
    // I_x(a, b) = 1 - I_(1-x)(b, a).
    if x < (a + 1.0) / (a + b + 2.0) {
        front * continued_fraction(x, a, b) / a
    } else {
        1.0 - front * continued_fraction(1.0 - x, b, a) / b
    }
}

/// The continued fraction of I_x(a, b) (Numerical Recipes, `betacf`).
fn continued_fraction(x: f64, a: f64, b: f64) -> f64 {
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (sum, plus, minus) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / guard(1.0 - sum * x / plus);
    let mut h = d;
    for m in 1..=MAX_TERMS {
        let m = m as f64;
        let m2 = 2.0 * m;
        // The even step, then the odd one.
        let even = m * (b - m) * x / ((minus + m2) * (a + m2));
        d = 1.0 / guard(1.0 + even * d);
        c = guard(1.0 + even / c);
        h *= d * c;
        let odd = -(a + m) * (sum + m) * x / ((a + m2) * (plus + m2));
        d = 1.0 / guard(1.0 + odd * d);
        c = guard(1.0 + odd / c);
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < PRECISION {
            break;
        }
    }
    h
}

/// The `x` in (0, 1] with I_x(a, b) = `p`, for `p` in (0, 1] and positive `a`, `b`: Newton steps
/// kept inside a shrinking bracket (bisection when a step would leave it).
pub(super) fn inverse(p: f64, a: f64, b: f64) -> f64 {
    if p >= 1.0 {
        return 1.0;
    }
    let (mut low, mut high) = (0.0_f64, 1.0_f64);
    let mut x = a / (a + b);
    for _ in 0..1000 {
        let error = cumulative(x, a, b) - p;
        if error == 0.0 {
            break;
        }
        if error < 0.0 {
            low = x;
        } else {
            high = x;
        }
        let newton = x - error / density(x, a, b);
        let next = if newton > low && newton < high {
            newton
        } else {
            (low + high) / 2.0
        };
        if (next - x).abs() <= PRECISION * x.max(f64::MIN_POSITIVE) || high - low <= f64::EPSILON * high {
            x = next;
            break;
        }
        x = next;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(actual: f64, expected: f64) {
        let tolerance = 1e-12 * expected.abs().max(1e-300);
        assert!((actual - expected).abs() <= tolerance, "{actual} != {expected}");
    }

    #[test]
    fn closed_forms() {
        // I_x(1, 1) = x; I_x(2, 1) = x^2; I_x(1, 3) = 1 - (1 - x)^3; density of Beta(2, 2) is 6x(1-x).
        assert_close(cumulative(0.3, 1.0, 1.0), 0.3);
        assert_close(cumulative(0.3, 2.0, 1.0), 0.09);
        assert_close(cumulative(0.3, 1.0, 3.0), 1.0 - 0.7_f64.powi(3));
        assert_close(density(0.25, 2.0, 2.0), 6.0 * 0.25 * 0.75);
        assert_close(inverse(0.09, 2.0, 1.0), 0.3);
    }

    #[test]
    fn large_shapes_round_trip() {
        for &(a, b) in &[(10.0, 20.0), (0.5, 0.5), (5000.0, 9000.0)] {
            for &p in &[1e-6, 0.1, 0.5, 0.9, 0.999] {
                let x = inverse(p, a, b);
                assert!((cumulative(x, a, b) - p).abs() < 1e-12, "a={a} b={b} p={p} x={x}");
            }
        }
    }
}
