//! `kql_make_series(bin, value, default, bins)`: the array one `make-series` aggregate produces for
//! one group. `bin` is each input row's 0-based bin number and `value` that bin's aggregate result;
//! the dynamic array has `bins` elements, `value` at each bin that has a row and the constant
//! `default` elsewhere (the make-series docs: bins without rows hold the default).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, FieldRef, Int64Type};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};

use super::support::{constant_arg, constant_number, list_state_field, state_lists, write_json};
use crate::declare::*;

const NAME: &str = "kql_make_series";
/// The make-series docs: arrays are limited to 2^20 values.
pub const MAX_BINS: usize = 1 << 20;

#[derive(Debug, PartialEq, Eq, Hash)]
struct MakeSeriesUdaf {
    signature: Signature,
}

pub fn udaf() -> Arc<AggregateUDF> {
    crate::singleton!(
        AggregateUDF,
        Arc::new(AggregateUDF::from(MakeSeriesUdaf {
            signature: Signature::any(4, Volatility::Immutable),
        }))
    )
}

pub(crate) static MAKE_SERIES: InternalFunction = InternalFunction::aggregate("make_series", udaf);

impl AggregateUDFImpl for MakeSeriesUdaf {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        if !matches!(arg_types[0], DataType::Int64) {
            return plan_err!("{NAME}(): the bin number must be Int64, got {}", arg_types[0]);
        }
        Ok(DataType::Utf8)
    }

    fn is_nullable(&self) -> bool {
        false
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![
            list_state_field(&format!("{}[bins]", args.name), DataType::Int64),
            list_state_field(&format!("{}[values]", args.name), DataType::Utf8),
        ])
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let Some(default) = constant_arg(NAME, args.exprs, 2)? else {
            return plan_err!("{NAME}(): the default value is missing");
        };
        let mut default_json = String::new();
        write_json(&mut default_json, default.to_array()?.as_ref(), 0, false)?;
        let bins = match constant_arg(NAME, args.exprs, 3)? {
            Some(value) => constant_number(NAME, &value)?,
            None => return plan_err!("{NAME}(): the number of bins is missing"),
        };
        if !(0.0..=MAX_BINS as f64).contains(&bins) {
            return plan_err!("make-series: {bins} bins is more than the {MAX_BINS} a series may hold");
        }
        Ok(Box::new(MakeSeriesAccumulator {
            default: default_json,
            bins: bins as usize,
            filled: Vec::new(),
        }))
    }
}

#[derive(Debug)]
struct MakeSeriesAccumulator {
    /// JSON text of the default value.
    default: String,
    bins: usize,
    /// (bin, JSON text of its value) for each bin that has rows.
    filled: Vec<(i64, String)>,
}

impl Accumulator for MakeSeriesAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let bins = values[0].as_primitive::<Int64Type>();
        for row in 0..bins.len() {
            if bins.is_null(row) {
                continue;
            }
            let mut json = String::new();
            write_json(&mut json, values[1].as_ref(), row, false)?;
            self.filled.push((bins.value(row), json));
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for (bins, values) in state_lists(&states[0])?.iter().zip(state_lists(&states[1])?) {
            let bins = bins.as_primitive::<Int64Type>();
            let values = values.as_string::<i32>();
            if bins.len() != values.len() {
                return exec_err!("{NAME}(): malformed partial state");
            }
            for row in 0..bins.len() {
                self.filled.push((bins.value(row), values.value(row).to_string()));
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let bins: Vec<ScalarValue> = self
            .filled
            .iter()
            .map(|(bin, _)| ScalarValue::from(*bin))
            .collect();
        let values: Vec<ScalarValue> = self
            .filled
            .iter()
            .map(|(_, json)| ScalarValue::from(json.as_str()))
            .collect();
        Ok(vec![
            ScalarValue::List(ScalarValue::new_list_nullable(&bins, &DataType::Int64)),
            ScalarValue::List(ScalarValue::new_list_nullable(&values, &DataType::Utf8)),
        ])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let mut series: Vec<&str> = vec![self.default.as_str(); self.bins];
        for (bin, json) in &self.filled {
            if let Some(slot) = usize::try_from(*bin).ok().and_then(|bin| series.get_mut(bin)) {
                *slot = json;
            }
        }
        Ok(ScalarValue::from(format!("[{}]", series.join(","))))
    }

    /// What the group holds, and the series [`Accumulator::evaluate`] will lay out for it (a slot
    /// and the default's text per bin): counted from the group's first row, many long series fail
    /// `--memory-limit` while they are collected, instead of all being laid out at the end.
    fn size(&self) -> usize {
        let text: usize = self.filled.iter().map(|(_, json)| json.capacity()).sum();
        let filled = self.filled.capacity() * size_of::<(i64, String)>();
        let laid_out = self.bins * (size_of::<&str>() + self.default.len() + 1);
        size_of_val(self) + self.default.capacity() + filled + text + laid_out
    }
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{Float64Array, Int64Array};
    use datafusion::common::ScalarValue;
    use datafusion::prelude::{col, lit};

    use super::super::support::testing::{only, query};

    #[tokio::test]
    async fn bins_without_rows_hold_the_default_across_partitions() {
        // The make-series docs' example: avg(metric) per day, 0 for the day without rows.
        let chunk = |bins: Vec<i64>, values: Vec<f64>| {
            (
                std::sync::Arc::new(Float64Array::from(values)) as _,
                std::sync::Arc::new(Int64Array::from(bins)) as _,
            )
        };
        let batch = query(
            vec![
                vec![chunk(vec![0, 1, 2], vec![4.0, 3.0, 5.0])],
                vec![chunk(vec![4, 5, 6, 7, 8], vec![10.5, 4.0, 3.0, 8.0, 6.5])],
            ],
            vec![],
            vec![super::udaf().call(vec![col("g"), col("x"), lit(0.0), lit(9i64)])],
        )
        .await;
        let ScalarValue::Utf8(Some(text)) = only(&batch, 0) else {
            panic!("not text")
        };
        let series: Vec<f64> = serde_json::from_str(&text).expect("JSON array");
        assert_eq!(series, [4.0, 3.0, 5.0, 0.0, 10.5, 4.0, 3.0, 8.0, 6.5]);
    }
}
