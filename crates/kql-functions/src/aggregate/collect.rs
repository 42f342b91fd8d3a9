//! Shared body of `make_list`, `make_set` and `make_list_with_nulls` (and their `_dynamic` twins):
//! collect the non-null values (every value, nulls as `null`, for `make_list_with_nulls`)
//! as a dynamic JSON array, in arrival order, up to `maxSize` items (default 1048576, per the Kusto
//! docs). `make_set` keeps the first occurrence of each value. Values are compared and stored as their
//! JSON text, which is also the partial-aggregate state.

use std::collections::HashSet;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, FieldRef};
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
        Ok(vec![list_state_field(
            &format!("{}[items]", args.name),
            DataType::Utf8,
        )])
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let max_size = max_size(self.name, args.exprs, 1)?;
        Ok(Box::new(CollectAccumulator {
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
    /// JSON text of each collected value, in order.
    items: Vec<String>,
    /// For `make_set`: the items already collected.
    seen: HashSet<String>,
    buffer: String,
}

impl CollectAccumulator {
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
        let values = &values[0];
        for row in 0..values.len() {
            if (values.is_null(row) && !self.keep_nulls) || self.items.len() >= self.max_size {
                continue;
            }
            self.buffer.clear();
            write_json(&mut self.buffer, values.as_ref(), row, self.dynamic_input)?;
            if self.distinct && self.dynamic_input && self.buffer.starts_with('[') {
                self.push_elements()?;
            } else {
                self.push_buffer();
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
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
        let items: Vec<ScalarValue> = self
            .items
            .iter()
            .map(|item| ScalarValue::from(item.as_str()))
            .collect();
        Ok(vec![ScalarValue::List(ScalarValue::new_list_nullable(
            &items,
            &DataType::Utf8,
        ))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::from(format!("[{}]", self.items.join(","))))
    }

    fn size(&self) -> usize {
        let text: usize = self.items.iter().chain(&self.seen).map(|s| s.capacity()).sum();
        size_of_val(self) + text + self.buffer.capacity()
    }
}
