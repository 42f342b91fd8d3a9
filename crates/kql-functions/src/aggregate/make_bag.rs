//! `make_bag(bag[, maxSize])`: one property bag holding the properties of every bag in the group.
//! Kusto keeps an arbitrary value for a key found in several bags; this keeps the first one seen.
//! Values that are not bags (arrays, scalars, null) are skipped, and at most `maxSize` keys are kept
//! (default 1048576, per the Kusto docs). The partial-aggregate state is the bag's JSON text.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, TypeSignature, Volatility,
};
use serde_json::{Map, Value};

use super::support::max_size;
use crate::declare::*;
use crate::dynamic::json::parse;

#[derive(Debug, PartialEq, Eq, Hash)]
struct MakeBag {
    signature: Signature,
}

pub fn udaf() -> Arc<AggregateUDF> {
    crate::singleton!(AggregateUDF, {
        let signature = Signature::one_of(
            vec![TypeSignature::Any(1), TypeSignature::Any(2)],
            Volatility::Immutable,
        );
        Arc::new(AggregateUDF::from(MakeBag { signature }))
    })
}

pub(crate) static MAKE_BAG: KustoFunction = KustoFunction::aggregate(
    crate::declare::Signature::aggregate("make_bag", &[P::Dynamic, P::Integer], R::Fixed(T::Dynamic))
        .optional_from(1)
        .named(N::Prefixed("bag")),
    udaf,
);

pub(crate) static MAKE_BAG_IF: KustoFunction = KustoFunction::conditional(
    crate::declare::Signature::aggregate(
        "make_bag_if",
        &[P::Dynamic, P::Bool, P::Integer],
        R::Fixed(T::Dynamic),
    )
    .optional_from(2)
    .named(N::Prefixed("bag")),
    &MAKE_BAG,
    1,
);

impl AggregateUDFImpl for MakeBag {
    fn name(&self) -> &str {
        "kql_make_bag"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn is_nullable(&self) -> bool {
        false
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format!("{}[bag]", args.name),
            DataType::Utf8,
            true,
        ))])
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let max_size = max_size(self.name(), args.exprs, 1)?;
        Ok(Box::new(BagAccumulator {
            max_size,
            bag: Map::new(),
        }))
    }

    fn default_value(&self, _data_type: &DataType) -> Result<ScalarValue> {
        Ok(ScalarValue::from("{}"))
    }
}

#[derive(Debug)]
struct BagAccumulator {
    max_size: usize,
    bag: Map<String, Value>,
}

impl BagAccumulator {
    /// Adds the properties of every bag in a `Utf8` column of dynamic JSON text.
    fn add_bags(&mut self, bags: &ArrayRef) -> Result<()> {
        let Some(bags) = bags.as_string_opt::<i32>() else {
            return exec_err!(
                "make_bag(): expected dynamic (Utf8 JSON) input, got {}",
                bags.data_type()
            );
        };
        for text in bags.iter().flatten() {
            let Value::Object(properties) = parse(text) else {
                continue;
            };
            for (key, value) in properties {
                if self.bag.len() >= self.max_size && !self.bag.contains_key(&key) {
                    break;
                }
                self.bag.entry(key).or_insert(value);
            }
        }
        Ok(())
    }

    fn text(&self) -> String {
        Value::Object(self.bag.clone()).to_string()
    }
}

impl Accumulator for BagAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.add_bags(&values[0])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.add_bags(&states[0])
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::from(self.text())])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::from(self.text()))
    }

    fn size(&self) -> usize {
        size_of_val(self)
            + self
                .bag
                .iter()
                .map(|(k, v)| k.len() + v.to_string().len())
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{Int64Array, StringArray};
    use datafusion::prelude::col;
    use serde_json::json;

    use super::super::support::testing::{only, query};

    fn bags(texts: Vec<Option<&str>>) -> (super::ArrayRef, super::ArrayRef) {
        let keys = Int64Array::from(vec![0; texts.len()]);
        (
            std::sync::Arc::new(StringArray::from(texts)),
            std::sync::Arc::new(keys),
        )
    }

    fn result(batch: &datafusion::arrow::array::RecordBatch) -> serde_json::Value {
        match only(batch, 0) {
            datafusion::common::ScalarValue::Utf8(Some(text)) => serde_json::from_str(&text).expect("json"),
            other => panic!("expected text, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn docs_example_merges_bags_across_partitions() {
        // make-bag-aggregation-function: {"prop01":"val_a"}, {"prop02":"val_b"}, {"prop03":"val_c"}
        // give {"prop01":"val_a","prop02":"val_b","prop03":"val_c"}. Non-bags and nulls are skipped.
        let batch = query(
            vec![
                vec![bags(vec![Some(r#"{"prop01":"val_a"}"#), Some("[1]"), None])],
                vec![bags(vec![
                    Some(r#"{"prop02":"val_b"}"#),
                    Some(r#"{"prop03":"val_c"}"#),
                ])],
            ],
            vec![],
            vec![super::udaf().call(vec![col("x")])],
        )
        .await;
        assert_eq!(
            result(&batch),
            json!({"prop01": "val_a", "prop02": "val_b", "prop03": "val_c"})
        );
    }

    #[tokio::test]
    async fn a_repeated_key_keeps_one_value_and_max_size_caps_keys() {
        let batch = query(
            vec![vec![bags(vec![
                Some(r#"{"a":1,"b":2}"#),
                Some(r#"{"a":3,"c":4}"#),
            ])]],
            vec![],
            vec![super::udaf().call(vec![col("x"), datafusion::prelude::lit(2i64)])],
        )
        .await;
        assert_eq!(result(&batch), json!({"a": 1, "b": 2}));
    }
}
