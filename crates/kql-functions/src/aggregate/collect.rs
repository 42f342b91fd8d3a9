//! Shared body of `make_list`, `make_set` and `make_list_with_nulls` (and their `_dynamic` twins):
//! collect the non-null values (every value, nulls as `null`, for `make_list_with_nulls`)
//! as a dynamic JSON array, in arrival order, up to `maxSize` items (default 1048576, per the Kusto
//! docs). `make_set` keeps the first occurrence of each value. Values are compared and stored as their
//! JSON text, which is also the partial-aggregate state. A list ordered by a row number (the planner's
//! `ORDER BY` over sorted input, whose order the list must keep) stores each item's row number beside
//! it and puts the items in that order at the end, whatever order partitions deliver them in.

use std::collections::HashSet;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, UInt64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, FieldRef, UInt64Type};
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, TypeSignature, Volatility,
};

use super::support::{list_state_field, max_size, state_lists, write_json};

#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) struct CollectUdaf {
    name: &'static str,
    signature: Signature,
    distinct: bool,
    /// Whether a `Utf8` input is `dynamic` JSON text (embedded) rather than a `string` (quoted).
    dynamic_input: bool,
    /// Whether null inputs are collected as JSON `null` (`make_list_with_nulls`) instead of skipped.
    keep_nulls: bool,
}

impl CollectUdaf {
    pub(super) fn udaf(name: &'static str, distinct: bool, dynamic_input: bool) -> Arc<AggregateUDF> {
        Self::build(name, distinct, dynamic_input, false)
    }

    /// A list that keeps null inputs as JSON `null`.
    pub(super) fn list_with_nulls(name: &'static str, dynamic_input: bool) -> Arc<AggregateUDF> {
        Self::build(name, false, dynamic_input, true)
    }

    fn build(name: &'static str, distinct: bool, dynamic_input: bool, keep_nulls: bool) -> Arc<AggregateUDF> {
        let signature = Signature::one_of(
            vec![TypeSignature::Any(1), TypeSignature::Any(2)],
            Volatility::Immutable,
        );
        Arc::new(AggregateUDF::from(CollectUdaf {
            name,
            signature,
            distinct,
            dynamic_input,
            keep_nulls,
        }))
    }
}

impl AggregateUDFImpl for CollectUdaf {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        if self.dynamic_input && arg_types[0] != DataType::Utf8 && !arg_types[0].is_null() {
            return plan_err!(
                "{}(): expected dynamic (Utf8 JSON) input, got {}",
                self.name,
                arg_types[0]
            );
        }
        Ok(DataType::Utf8)
    }

    fn is_nullable(&self) -> bool {
        false
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let mut fields = vec![list_state_field(&format!("{}[items]", args.name), DataType::Utf8)];
        if !args.ordering_fields.is_empty() {
            fields.push(list_state_field(
                &format!("{}[row_numbers]", args.name),
                DataType::UInt64,
            ));
        }
        Ok(fields)
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let max_size = max_size(self.name, args.exprs, 1)?;
        let row_numbers = match args.order_bys {
            [] => None,
            [_] if !self.distinct => Some(Vec::new()),
            _ => {
                return plan_err!(
                    "{}(): ordered by one row number only, and not as a set",
                    self.name
                );
            }
        };
        Ok(Box::new(CollectAccumulator {
            row_numbers,
            row_number_column: args.exprs.len(),
            distinct: self.distinct,
            dynamic_input: self.dynamic_input,
            keep_nulls: self.keep_nulls,
            max_size,
            items: Vec::new(),
            seen: HashSet::new(),
            buffer: String::new(),
        }))
    }

    fn default_value(&self, _data_type: &DataType) -> Result<ScalarValue> {
        Ok(ScalarValue::from("[]"))
    }
}

#[derive(Debug)]
struct CollectAccumulator {
    distinct: bool,
    dynamic_input: bool,
    keep_nulls: bool,
    max_size: usize,
    /// JSON text of each collected value, in order (in arrival order until [`Self::put_in_order`]
    /// when ordered by row numbers).
    items: Vec<String>,
    /// When ordered: each item's row number.
    row_numbers: Option<Vec<u64>>,
    /// Where the row numbers are among `update_batch`'s columns (after the arguments).
    row_number_column: usize,
    /// For `make_set`: the items already collected.
    seen: HashSet<String>,
    buffer: String,
}

impl CollectAccumulator {
    /// Adds the JSON text in `self.buffer` with its row number; the list is cut to `max_size` in row
    /// order from time to time, so it holds at most twice that many items.
    fn push_numbered(&mut self, row_number: u64) {
        if let Some(numbers) = &mut self.row_numbers {
            numbers.push(row_number);
            self.items.push(self.buffer.clone());
            if self.items.len() >= self.max_size.saturating_mul(2) {
                self.put_in_order();
            }
        }
    }

    /// Sorts the items by row number and keeps the first `max_size` (a no-op unless ordered).
    fn put_in_order(&mut self) {
        let Some(numbers) = &mut self.row_numbers else {
            return;
        };
        let mut numbered: Vec<(u64, String)> = numbers.drain(..).zip(self.items.drain(..)).collect();
        numbered.sort_by_key(|(number, _)| *number);
        numbered.truncate(self.max_size);
        (*numbers, self.items) = numbered.into_iter().unzip();
    }

    /// Adds the JSON text in `self.buffer` unless the list is full or (for a set) already holds it.
    fn push_buffer(&mut self) {
        if self.items.len() >= self.max_size || (self.distinct && self.seen.contains(&self.buffer)) {
            return;
        }
        if self.distinct {
            self.seen.insert(self.buffer.clone());
        }
        self.items.push(self.buffer.clone());
    }
}

impl CollectAccumulator {
    /// `make_set` of an array adds its elements: the page's "Set from array column" example makes
    /// `["A1","A2","A3","C1","C2"]` of four arrays.
    fn push_elements(&mut self) -> Result<()> {
        let array: Vec<serde_json::Value> = serde_json::from_str(&self.buffer)
            .map_err(|e| datafusion::common::DataFusionError::Execution(format!("make_set(): {e}")))?;
        for element in array {
            self.buffer.clear();
            self.buffer.push_str(&element.to_string());
            self.push_buffer();
        }
        Ok(())
    }
}

impl Accumulator for CollectAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let row_numbers = match self.row_numbers {
            Some(_) => Some(row_number_array(&values[self.row_number_column])?),
            None => None,
        };
        let values = &values[0];
        for row in 0..values.len() {
            let full = row_numbers.is_none() && self.items.len() >= self.max_size;
            if (values.is_null(row) && !self.keep_nulls) || full {
                continue;
            }
            self.buffer.clear();
            write_json(&mut self.buffer, values.as_ref(), row, self.dynamic_input)?;
            if let Some(numbers) = &row_numbers {
                self.push_numbered(numbers.value(row));
            } else if self.distinct && self.dynamic_input && self.buffer.starts_with('[') {
                self.push_elements()?;
            } else {
                self.push_buffer();
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        if self.row_numbers.is_some() {
            for (items, numbers) in state_lists(&states[0])?.into_iter().zip(state_lists(&states[1])?) {
                let numbers = row_number_array(&numbers)?;
                for (row, item) in items.as_string::<i32>().iter().enumerate() {
                    self.buffer.clear();
                    self.buffer.push_str(item.unwrap_or("null"));
                    self.push_numbered(numbers.value(row));
                }
            }
            return Ok(());
        }
        for items in state_lists(&states[0])? {
            for item in items.as_string::<i32>().iter().flatten() {
                self.buffer.clear();
                self.buffer.push_str(item);
                self.push_buffer();
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        self.put_in_order();
        let items: Vec<ScalarValue> = self
            .items
            .iter()
            .map(|item| ScalarValue::from(item.as_str()))
            .collect();
        let mut state = vec![ScalarValue::List(ScalarValue::new_list_nullable(
            &items,
            &DataType::Utf8,
        ))];
        if let Some(numbers) = &self.row_numbers {
            let numbers: Vec<ScalarValue> = numbers.iter().map(|n| ScalarValue::UInt64(Some(*n))).collect();
            state.push(ScalarValue::List(ScalarValue::new_list_nullable(
                &numbers,
                &DataType::UInt64,
            )));
        }
        Ok(state)
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        self.put_in_order();
        Ok(ScalarValue::from(format!("[{}]", self.items.join(","))))
    }

    fn size(&self) -> usize {
        let text: usize = self.items.iter().chain(&self.seen).map(|s| s.capacity()).sum();
        let numbers = self
            .row_numbers
            .as_ref()
            .map_or(0, |n| n.capacity() * size_of::<u64>());
        size_of_val(self) + text + numbers + self.buffer.capacity()
    }
}

/// The row numbers a list is ordered by (the planner's serialized row number, or mv-apply's order
/// within a row), as `UInt64`.
fn row_number_array(column: &ArrayRef) -> Result<UInt64Array> {
    let numbers = cast(column, &DataType::UInt64)?;
    Ok(numbers.as_primitive::<UInt64Type>().clone())
}
