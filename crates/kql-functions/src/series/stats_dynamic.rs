//! `series_stats_dynamic(series [, ignore_nonfinite])`: a bag of `min`, `min_idx`, `max`, `max_idx`,
//! `avg`, `stdev` and `variance` (sample), `sum` and `len`. Arrays with a non-numeric element, and
//! arrays of fewer than two values (no sample variance), are refused: what Kusto answers for them is not documented precisely enough.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;
use serde_json::{Map, Value};

use super::{Num, array, real};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_series_stats_dynamic(series: Utf8 (dynamic) [, ignore_nonfinite: any]) -> Utf8 (dynamic)`.
pub fn series_stats_dynamic() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::optional(&[Param::Str], &[Param::Any]);
        define("kql_series_stats_dynamic", params, DataType::Utf8, |args| {
            let series = args.str(0)?;
            optional_string_rows(args, |row| {
                let Some(items) = array(series.get_opt(row)) else {
                    return Ok(None);
                };
                let values = items
                    .iter()
                    .map(|item| Num::of(item).map(Num::as_f64).filter(|v| v.is_finite()))
                    .collect::<Option<Vec<f64>>>();
                let Some(values) = values.filter(|values| values.len() > 1) else {
                    return exec_err!(
                        "not supported yet: {} of fewer than two values or with non-finite elements",
                        args.name()
                    );
                };
                Ok(Some(Value::Object(stats(args.name(), &values)?).to_string()))
            })
        })
    })
}

pub(crate) static SERIES_STATS_DYNAMIC: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "series_stats_dynamic",
        &[P::Dynamic, P::Bool],
        R::Fixed(T::Dynamic),
    )
    .optional_from(1),
    series_stats_dynamic,
);

/// The statistics of a series of at least two values, in the order Kusto lists them.
fn stats(name: &str, values: &[f64]) -> Result<Map<String, Value>> {
    let first_index_of = |wanted: f64| values.iter().position(|v| *v == wanted).unwrap_or(0);
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let len = values.len() as f64;
    let sum: f64 = values.iter().sum();
    let avg = sum / len;
    let variance = values.iter().map(|v| (v - avg).powi(2)).sum::<f64>() / (len - 1.0);
    let mut bag = Map::new();
    bag.insert("min".into(), real(name, min)?);
    bag.insert("min_idx".into(), Value::from(first_index_of(min)));
    bag.insert("max".into(), real(name, max)?);
    bag.insert("max_idx".into(), Value::from(first_index_of(max)));
    bag.insert("avg".into(), real(name, avg)?);
    bag.insert("stdev".into(), real(name, variance.sqrt())?);
    bag.insert("variance".into(), real(name, variance)?);
    bag.insert("sum".into(), real(name, sum)?);
    bag.insert("len".into(), Value::from(values.len()));
    Ok(bag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s, text};

    #[test]
    fn docs_example() {
        let bag = text(call_scalars(
            &series_stats_dynamic(),
            vec![s("[23,46,23,87,4,8,3,75,2,56,13,75,32,16,29]")],
        ));
        let bag: Value = serde_json::from_str(&bag).unwrap();
        assert_eq!(bag["min"], 2.0);
        assert_eq!(bag["min_idx"], 8);
        assert_eq!(bag["max"], 87.0);
        assert_eq!(bag["max_idx"], 3);
        assert!((bag["avg"].as_f64().unwrap() - 32.8).abs() < 1e-12);
        assert!((bag["stdev"].as_f64().unwrap() - 28.50363385354827).abs() < 1e-9);
        assert!((bag["variance"].as_f64().unwrap() - 812.4571428571429).abs() < 1e-9);
        assert_eq!(bag["sum"], 492.0);
        assert_eq!(bag["len"], 15);
    }
}
