//! Shared body of `percentile`, `percentiles_array` and their weighted forms (`percentilew`,
//! `percentilesw_array`): exact nearest-rank percentiles. Kusto defines the P-th percentile as the
//! smallest value such that P percent of the values are less or equal, i.e. the value at 1-based rank
//! ceil(P/100 * n), with P = 0 the minimum (Kusto docs, "Nearest-rank percentile"). A weighted value
//! counts as if "repeated a number of times equal to its weight" (percentilesw docs), so n is the sum
//! of the weights and a rank falls on the value whose cumulative weight first reaches it. Kusto
//! estimates with T-Digest; this is the exact value it estimates, and what T-Digest returns on small
//! sets. All non-null values are kept, so memory grows with the group.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray};
use datafusion::arrow::compute::{and, concat, filter, is_not_null, sort_to_indices};
use datafusion::arrow::datatypes::{DataType, FieldRef, Int64Type, TimeUnit};
use datafusion::common::utils::SingleRowListArrayBuilder;
use datafusion::common::{Result, ScalarValue, exec_err, not_impl_err, plan_err};
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

/// Whether each value comes with a repetition count (the second argument).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Weighting {
    Unweighted,
    Weighted,
}

impl Weighting {
    /// The index of the first percentile argument.
    fn first_percentile(self) -> usize {
        match self {
            Weighting::Unweighted => 1,
            Weighting::Weighted => 2,
        }
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) struct NearestRankUdaf {
    name: &'static str,
    signature: Signature,
    output: Output,
    weighting: Weighting,
}

impl NearestRankUdaf {
    pub(super) fn udaf(name: &'static str, output: Output, weighting: Weighting) -> Arc<AggregateUDF> {
        let signature = Signature::user_defined(Volatility::Immutable);
        Arc::new(AggregateUDF::from(NearestRankUdaf {
            name,
            signature,
            output,
            weighting,
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

    /// Values: int/long as long, real, datetime or timespan; weights: whole numbers, as long;
    /// percentiles: numbers, read as reals, or (array output) one dynamic array of numbers.
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let first_percentile = self.weighting.first_percentile();
        let wanted_percentiles = match self.output {
            Output::Single => arg_types.len() == first_percentile + 1,
            Output::Array => arg_types.len() > first_percentile,
        };
        if !wanted_percentiles {
            return plan_err!(
                "{}(): expected a value{} and percentile argument(s), got {arg_types:?}",
                self.name,
                if first_percentile == 2 { ", a weight" } else { "" }
            );
        }
        let value = match (&arg_types[0], Numeric::of(&arg_types[0])) {
            (DataType::Timestamp(..), _) => DataType::Timestamp(TimeUnit::Nanosecond, None),
            (DataType::Duration(_), _) => DataType::Duration(TimeUnit::Nanosecond),
            (_, Some(Numeric::Real)) => DataType::Float64,
            (DataType::Decimal128(..), _) => {
                return not_impl_err!(
                    "{}() of a decimal value (Kusto.Language types it real; convert with toreal())",
                    self.name
                );
            }
            (_, Some(_)) => DataType::Int64,
            (other, None) => {
                return not_impl_err!(
                    "{}() of a {} value: torhunt ranks numbers, datetimes and timespans",
                    self.name,
                    kusto_name(other)
                );
            }
        };
        let mut coerced = vec![value];
        if self.weighting == Weighting::Weighted {
            match Numeric::of(&arg_types[1]) {
                Some(Numeric::Real) | None => {
                    return plan_err!(
                        "{}(): the weight must be a whole number (int or long), got {}",
                        self.name,
                        kusto_name(&arg_types[1])
                    );
                }
                Some(_) => coerced.push(DataType::Int64),
            }
        }
        let percentiles = &arg_types[first_percentile..];
        let dynamic_list = self.output == Output::Array && percentiles.len() == 1;
        for percentile in percentiles {
            if dynamic_list && *percentile == DataType::Utf8 {
                coerced.push(DataType::Utf8);
            } else if Numeric::of(percentile).is_some() {
                coerced.push(DataType::Float64);
            } else {
                return plan_err!("{}(): percentiles must be numbers, got {percentile}", self.name);
            }
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
        let mut fields = vec![list_state_field(&format!("{}[values]", args.name), value_type)];
        if self.weighting == Weighting::Weighted {
            fields.push(list_state_field(
                &format!("{}[weights]", args.name),
                DataType::Int64,
            ));
        }
        Ok(fields)
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let mut percentiles = Vec::with_capacity(args.exprs.len());
        for index in self.weighting.first_percentile()..args.exprs.len() {
            let Some(value) = constant_arg(self.name, args.exprs, index)? else {
                continue;
            };
            for percentile in constant_percentiles(self.name, &value)? {
                if !(0.0..=100.0).contains(&percentile) {
                    return plan_err!("{}(): percentile {percentile} is outside 0..100", self.name);
                }
                percentiles.push(percentile);
            }
        }
        let value_type = args.expr_fields[0].data_type().clone();
        Ok(Box::new(NearestRankAccumulator {
            name: self.name,
            output: self.output,
            weighting: self.weighting,
            percentiles,
            value_type,
            values: Vec::new(),
            weights: Vec::new(),
        }))
    }
}

/// The Kusto name of an argument's Arrow type, for messages.
fn kusto_name(data_type: &DataType) -> &'static str {
    match data_type {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => "string, guid or dynamic",
        DataType::Boolean => "bool",
        DataType::Float32 | DataType::Float64 => "real",
        DataType::Decimal128(..) => "decimal",
        DataType::Timestamp(..) => "datetime",
        DataType::Duration(_) => "timespan",
        _ => "non-numeric",
    }
}

/// A constant percentile argument: a number, or a dynamic array of numbers (`dynamic([50, 95])`).
fn constant_percentiles(name: &str, value: &ScalarValue) -> Result<Vec<f64>> {
    let ScalarValue::Utf8(text) = value else {
        return Ok(vec![constant_number(name, value)?]);
    };
    let parsed: Option<Vec<serde_json::Value>> = text.as_deref().and_then(|t| serde_json::from_str(t).ok());
    match parsed {
        Some(items) if !items.is_empty() => items
            .iter()
            .map(|item| match item.as_f64() {
                Some(number) => Ok(number),
                None => plan_err!("{name}(): the percentile array holds {item}, not a number"),
            })
            .collect(),
        _ => plan_err!("{name}(): expected a dynamic array of percentiles, got {value}"),
    }
}

#[derive(Debug)]
struct NearestRankAccumulator {
    name: &'static str,
    output: Output,
    weighting: Weighting,
    percentiles: Vec<f64>,
    value_type: DataType,
    /// The non-null values seen so far, one array per batch.
    values: Vec<ArrayRef>,
    /// The weights of `values`, chunk by chunk (weighted forms only).
    weights: Vec<ArrayRef>,
}

impl NearestRankAccumulator {
    fn concatenated(chunks: &[ArrayRef], data_type: &DataType) -> Result<ArrayRef> {
        let parts: Vec<&dyn Array> = chunks.iter().map(|c| c.as_ref()).collect();
        if parts.is_empty() {
            return Ok(datafusion::arrow::array::new_empty_array(data_type));
        }
        Ok(concat(&parts)?)
    }

    /// Keeps the rows with a value (and a weight above zero: a value repeated zero times is not
    /// there). A null or negative weight has no meaning as a repetition count and stops the query.
    fn keep(&mut self, values: &ArrayRef, weights: Option<&ArrayRef>) -> Result<()> {
        let mut keep = is_not_null(values)?;
        if let Some(weights) = weights {
            let weight_values = weights.as_primitive::<Int64Type>();
            for row in 0..values.len() {
                if !keep.value(row) {
                    continue;
                }
                if weight_values.is_null(row) {
                    return exec_err!(
                        "{}(): a null weight (the docs define a weight as a repetition count)",
                        self.name
                    );
                }
                if weight_values.value(row) < 0 {
                    return exec_err!(
                        "{}(): the weight {} is negative (the docs define a weight as a repetition count)",
                        self.name,
                        weight_values.value(row)
                    );
                }
            }
            let positive: BooleanArray = weight_values
                .iter()
                .map(|w| Some(w.is_some_and(|w| w > 0)))
                .collect();
            keep = and(&keep, &positive)?;
        }
        if keep.true_count() == 0 {
            return Ok(());
        }
        self.values.push(filter(values, &keep)?);
        if let Some(weights) = weights {
            self.weights.push(filter(weights, &keep)?);
        }
        Ok(())
    }
}

/// The 0-based index of the nearest-rank `percentile` among `count` sorted values.
fn rank_index(percentile: f64, count: usize) -> usize {
    let rank = (percentile / 100.0 * count as f64).ceil() as usize;
    rank.clamp(1, count) - 1
}

/// The 0-based position, among sorted values with these running weight totals, of the value the
/// nearest-rank `percentile` falls on: the first whose running total reaches the rank.
fn weighted_rank_index(percentile: f64, running_totals: &[u128]) -> usize {
    let total = running_totals.last().copied().unwrap_or(0);
    let rank = ((percentile / 100.0 * total as f64).ceil() as u128).clamp(1, total.max(1));
    running_totals
        .partition_point(|&running| running < rank)
        .min(running_totals.len().saturating_sub(1))
}

impl Accumulator for NearestRankAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let weights = (self.weighting == Weighting::Weighted).then(|| &values[1]);
        self.keep(&values[0], weights)
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let values = state_lists(&states[0])?;
        match self.weighting {
            Weighting::Unweighted => values.iter().try_for_each(|v| self.keep(v, None)),
            Weighting::Weighted => {
                let weights = state_lists(&states[1])?;
                values
                    .iter()
                    .zip(&weights)
                    .try_for_each(|(v, w)| self.keep(v, Some(w)))
            }
        }
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let mut state = vec![
            SingleRowListArrayBuilder::new(Self::concatenated(&self.values, &self.value_type)?)
                .build_list_scalar(),
        ];
        if self.weighting == Weighting::Weighted {
            state.push(
                SingleRowListArrayBuilder::new(Self::concatenated(&self.weights, &DataType::Int64)?)
                    .build_list_scalar(),
            );
        }
        Ok(state)
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let values = Self::concatenated(&self.values, &self.value_type)?;
        if values.is_empty() {
            return match self.output {
                Output::Single => ScalarValue::try_from(&self.value_type),
                Output::Array => Ok(ScalarValue::Utf8(None)),
            };
        }
        let order = sort_to_indices(&values, None, None)?;
        let order = order.values();
        let positions: Vec<usize> = match self.weighting {
            Weighting::Unweighted => self
                .percentiles
                .iter()
                .map(|&p| rank_index(p, values.len()))
                .collect(),
            Weighting::Weighted => {
                let weights = Self::concatenated(&self.weights, &DataType::Int64)?;
                let weights = weights.as_primitive::<Int64Type>();
                let running_totals: Vec<u128> = order
                    .iter()
                    .scan(0u128, |total, &row| {
                        *total += weights.value(row as usize).unsigned_abs() as u128;
                        Some(*total)
                    })
                    .collect();
                self.percentiles
                    .iter()
                    .map(|&p| weighted_rank_index(p, &running_totals))
                    .collect()
            }
        };
        let rows = positions.iter().map(|&position| order[position] as usize);
        match self.output {
            Output::Single => match rows.into_iter().next() {
                Some(row) => ScalarValue::try_from_array(&values, row),
                None => ScalarValue::try_from(&self.value_type),
            },
            Output::Array => {
                let mut text = String::from("[");
                for (n, row) in rows.enumerate() {
                    if n > 0 {
                        text.push(',');
                    }
                    write_json(&mut text, values.as_ref(), row, false)?;
                }
                text.push(']');
                Ok(ScalarValue::from(text))
            }
        }
    }

    fn size(&self) -> usize {
        size_of_val(self)
            + self
                .values
                .iter()
                .chain(&self.weights)
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

    #[test]
    fn weighted_ranks_count_each_value_weight_times() {
        // The percentilesw docs' buckets: 8 x 10, 6 x 20, 3 x 30, 1 x 40 (running totals 8, 14, 17, 18).
        let running = [8, 14, 17, 18];
        assert_eq!(weighted_rank_index(50.0, &running), 1); // rank 9 -> 20
        assert_eq!(weighted_rank_index(75.0, &running), 1); // rank 14 -> 20
        assert_eq!(weighted_rank_index(99.9, &running), 3); // rank 18 -> 40
        assert_eq!(weighted_rank_index(0.0, &running), 0); // rank 1 -> 10 (the minimum)
        assert_eq!(weighted_rank_index(44.4, &running), 0); // rank ceil(7.992) = 8 -> still 10
        assert_eq!(weighted_rank_index(100.0, &running), 3);
    }
}
