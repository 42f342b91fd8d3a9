//! Shared body of `percentile` and `percentiles_array`: exact nearest-rank percentiles. Kusto defines
//! the P-th percentile as the smallest value such that P percent of the values are less or equal,
//! i.e. the value at 1-based rank ceil(P/100 * n), with P = 0 the minimum (Kusto docs, "Nearest-rank
//! percentile"). Kusto estimates it with T-Digest; this is the exact value it estimates, and what
//! T-Digest returns on small sets. All non-null values are kept, so memory grows with the group.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef};
use datafusion::arrow::compute::{concat, filter, is_not_null, sort};
use datafusion::arrow::datatypes::{DataType, FieldRef, TimeUnit};
use datafusion::common::utils::SingleRowListArrayBuilder;
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};

use super::support::{constant_arg, constant_number, list_state_field, state_lists, write_json};
use crate::math::kernel::Numeric;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Output {
    /// One percentile, typed like the input.
    Single,
    /// Several percentiles as a dynamic JSON array.
    Array,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) struct NearestRankUdaf {
    name: &'static str,
    signature: Signature,
    output: Output,
}

impl NearestRankUdaf {
    pub(super) fn udaf(name: &'static str, output: Output) -> Arc<AggregateUDF> {
        let signature = Signature::user_defined(Volatility::Immutable);
        Arc::new(AggregateUDF::from(NearestRankUdaf {
            name,
            signature,
            output,
        }))
    }
}

impl AggregateUDFImpl for NearestRankUdaf {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    /// Values: int/long as long, real, datetime or timespan; percentiles: numbers, read as reals.
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let wanted_percentiles = match self.output {
            Output::Single => arg_types.len() == 2,
            Output::Array => arg_types.len() >= 2,
        };
        if !wanted_percentiles {
            return plan_err!(
                "{}(): expected a value and percentile argument(s), got {arg_types:?}",
                self.name
            );
        }
        let value = match (&arg_types[0], Numeric::of(&arg_types[0])) {
            (DataType::Timestamp(..), _) => DataType::Timestamp(TimeUnit::Nanosecond, None),
            (DataType::Duration(_), _) => DataType::Duration(TimeUnit::Nanosecond),
            (_, Some(Numeric::Real)) => DataType::Float64,
            (_, Some(_)) => DataType::Int64,
            (other, None) => return plan_err!("{}(): cannot rank values of type {other}", self.name),
        };
        let mut coerced = vec![value];
        for percentile in &arg_types[1..] {
            if Numeric::of(percentile).is_none() {
                return plan_err!("{}(): percentiles must be numbers, got {percentile}", self.name);
            }
            coerced.push(DataType::Float64);
        }
        Ok(coerced)
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(match self.output {
            Output::Single => arg_types[0].clone(),
            Output::Array => DataType::Utf8,
        })
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let value_type = args.input_fields[0].data_type().clone();
        Ok(vec![list_state_field(
            &format!("{}[values]", args.name),
            value_type,
        )])
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let mut percentiles = Vec::with_capacity(args.exprs.len() - 1);
        for index in 1..args.exprs.len() {
            let Some(value) = constant_arg(self.name, args.exprs, index)? else {
                continue;
            };
            let percentile = constant_number(self.name, &value)?;
            if !(0.0..=100.0).contains(&percentile) {
                return plan_err!("{}(): percentile {percentile} is outside 0..100", self.name);
            }
            percentiles.push(percentile);
        }
        let value_type = args.expr_fields[0].data_type().clone();
        Ok(Box::new(NearestRankAccumulator {
            output: self.output,
            percentiles,
            value_type,
            chunks: Vec::new(),
        }))
    }
}

#[derive(Debug)]
struct NearestRankAccumulator {
    output: Output,
    percentiles: Vec<f64>,
    value_type: DataType,
    /// The non-null values seen so far, one array per batch.
    chunks: Vec<ArrayRef>,
}

impl NearestRankAccumulator {
    fn all_values(&self) -> Result<ArrayRef> {
        let parts: Vec<&dyn Array> = self.chunks.iter().map(|c| c.as_ref()).collect();
        if parts.is_empty() {
            return Ok(datafusion::arrow::array::new_empty_array(&self.value_type));
        }
        Ok(concat(&parts)?)
    }

    fn keep_non_null(&mut self, values: &ArrayRef) -> Result<()> {
        let values = if values.null_count() > 0 {
            filter(values, &is_not_null(values)?)?
        } else {
            Arc::clone(values)
        };
        if !values.is_empty() {
            self.chunks.push(values);
        }
        Ok(())
    }
}

/// The 0-based index of the nearest-rank `percentile` among `count` sorted values.
fn rank_index(percentile: f64, count: usize) -> usize {
    let rank = (percentile / 100.0 * count as f64).ceil() as usize;
    rank.clamp(1, count) - 1
}

impl Accumulator for NearestRankAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.keep_non_null(&values[0])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for values in state_lists(&states[0])? {
            self.keep_non_null(&values)?;
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![
            SingleRowListArrayBuilder::new(self.all_values()?).build_list_scalar(),
        ])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let sorted = sort(&self.all_values()?, None)?;
        if sorted.is_empty() {
            return match self.output {
                Output::Single => ScalarValue::try_from(&self.value_type),
                Output::Array => Ok(ScalarValue::Utf8(None)),
            };
        }
        let indexes = self.percentiles.iter().map(|&p| rank_index(p, sorted.len()));
        match self.output {
            Output::Single => {
                ScalarValue::try_from_array(&sorted, rank_index(self.percentiles[0], sorted.len()))
            }
            Output::Array => {
                let mut text = String::from("[");
                for (n, index) in indexes.enumerate() {
                    if n > 0 {
                        text.push(',');
                    }
                    write_json(&mut text, sorted.as_ref(), index, false)?;
                }
                text.push(']');
                Ok(ScalarValue::from(text))
            }
        }
    }

    fn size(&self) -> usize {
        size_of_val(self)
            + self
                .chunks
                .iter()
                .map(|c| c.get_array_memory_size())
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_follow_the_nearest_rank_definition() {
        // 18 values: P50 -> rank 9, P75 -> rank ceil(13.5) = 14, P99.9 -> rank 18, P0 -> rank 1.
        assert_eq!(rank_index(50.0, 18), 8);
        assert_eq!(rank_index(75.0, 18), 13);
        assert_eq!(rank_index(99.9, 18), 17);
        assert_eq!(rank_index(0.0, 18), 0);
        assert_eq!(rank_index(100.0, 1), 0);
    }
}
