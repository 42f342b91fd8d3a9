//! `series_iir(series, numerators, denominators)`: an infinite impulse response filter, by the docs'
//! recursive formula `Y[i] = (b[0]X[i] + ... + b[nb-1]X[i-nb+1] - a[1]Y[i-1] - ... - a[na-1]Y[i-na+1]) / a[0]`,
//! as reals (`series_iir([1.0,2.0,3.0], [1], [1,-1])`, a cumulative sum, is `[1.0,3.0,6.0]`). A
//! non-numeric element or a zero `a[0]` is an error; a value that is not an array gives null.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::{Num, array, real};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_series_iir(series: Utf8 (dynamic), numerators: Utf8 (dynamic), denominators: Utf8 (dynamic))
/// -> Utf8 (dynamic)`.
pub fn series_iir() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::fixed(&[Param::Str, Param::Str, Param::Str]);
        define("kql_series_iir", params, DataType::Utf8, |args| {
            let (series, numerators, denominators) = (args.str(0)?, args.str(1)?, args.str(2)?);
            optional_string_rows(args, |row| {
                let name = args.name();
                let (Some(x), Some(b), Some(a)) = (
                    array(series.get_opt(row)),
                    array(numerators.get_opt(row)),
                    array(denominators.get_opt(row)),
                ) else {
                    return Ok(None);
                };
                let (x, b, a) = (numbers(name, &x)?, numbers(name, &b)?, numbers(name, &a)?);
                let Some(&a0) = a.first().filter(|a0| **a0 != 0.0) else {
                    return exec_err!("{name}: the first denominator must not be zero");
                };
                let mut y: Vec<f64> = Vec::with_capacity(x.len());
                for i in 0..x.len() {
                    let forward: f64 = b
                        .iter()
                        .take(i + 1)
                        .enumerate()
                        .map(|(j, bj)| bj * x[i - j])
                        .sum();
                    let feedback: f64 = a
                        .iter()
                        .take(i + 1)
                        .enumerate()
                        .skip(1)
                        .map(|(j, aj)| aj * y[i - j])
                        .sum();
                    y.push((forward - feedback) / a0);
                }
                let y = y.into_iter().map(|v| real(name, v)).collect::<Result<Vec<_>>>()?;
                Ok(Some(Value::Array(y).to_string()))
            })
        })
    })
}

pub(crate) static SERIES_IIR: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "series_iir",
        &[P::Dynamic, P::Dynamic, P::Dynamic],
        R::Fixed(T::Dynamic),
    ),
    series_iir,
);

fn numbers(name: &str, items: &[Value]) -> Result<Vec<f64>> {
    items
        .iter()
        .map(|item| match Num::of(item) {
            Some(number) => Ok(number.as_f64()),
            None => exec_err!("{name}: {item} is not a number"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_cumulative_sum() {
        assert_eq!(
            call_scalars(
                &series_iir(),
                vec![
                    s("[1.0,2.0,3.0,4.0,5.0,6.0,7.0,8.0,9.0,10.0]"),
                    s("[1]"),
                    s("[1,-1]")
                ]
            ),
            s("[1.0,3.0,6.0,10.0,15.0,21.0,28.0,36.0,45.0,55.0]")
        );
    }

    #[test]
    fn coefficients_are_normalised_by_the_first_denominator() {
        // Y[i] = (X[i] + X[i-1]) / 2: a two-point moving average.
        assert_eq!(
            call_scalars(&series_iir(), vec![s("[2,4,6]"), s("[1,1]"), s("[2]")]),
            s("[1.0,3.0,5.0]")
        );
    }
}
