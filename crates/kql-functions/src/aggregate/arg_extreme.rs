//! Shared body of `arg_max(by, value)` and `arg_min(by, value)`: `value` at the row where `by` is
//! greatest (least). Rows with a null `by` are skipped; on ties the first row seen wins. The planner
//! handles the `*` and multi-column forms by calling this once per returned column.

use std::cmp::Ordering;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, make_comparator};
use datafusion::arrow::compute::SortOptions;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, TypeSignature, Volatility,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Extreme {
    Max,
    Min,
}

impl Extreme {
    /// Whether `candidate` strictly beats `best`.
    fn beats(self, candidate_vs_best: Ordering) -> bool {
        match self {
            Extreme::Max => candidate_vs_best == Ordering::Greater,
            Extreme::Min => candidate_vs_best == Ordering::Less,
        }
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) struct ArgExtremeUdaf {
    name: &'static str,
    signature: Signature,
    extreme: Extreme,
}

impl ArgExtremeUdaf {
    pub(super) fn udaf(name: &'static str, extreme: Extreme) -> Arc<AggregateUDF> {
        let signature = Signature::one_of(vec![TypeSignature::Any(2)], Volatility::Immutable);
        Arc::new(AggregateUDF::from(ArgExtremeUdaf {
            name,
            signature,
            extreme,
        }))
    }
}

impl AggregateUDFImpl for ArgExtremeUdaf {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(arg_types[1].clone())
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(["by", "value"]
            .iter()
            .zip(args.input_fields)
            .map(|(part, field)| {
                Arc::new(Field::new(
                    format!("{}[{part}]", args.name),
                    field.data_type().clone(),
                    true,
                ))
            })
            .collect())
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(ArgExtremeAccumulator {
            extreme: self.extreme,
            best_by: ScalarValue::try_from(args.expr_fields[0].data_type())?,
            best_value: ScalarValue::try_from(args.expr_fields[1].data_type())?,
        }))
    }
}

#[derive(Debug)]
struct ArgExtremeAccumulator {
    extreme: Extreme,
    /// Null until a row with a non-null `by` is seen.
    best_by: ScalarValue,
    best_value: ScalarValue,
}

impl ArgExtremeAccumulator {
    /// Folds in the best row of (`by`, `value`), comparing rows in place without materializing them.
    fn consider(&mut self, by: &ArrayRef, value: &ArrayRef) -> Result<()> {
        let compare = make_comparator(by.as_ref(), by.as_ref(), SortOptions::default())?;
        let mut best_row: Option<usize> = None;
        for row in (0..by.len()).filter(|&row| by.is_valid(row)) {
            if best_row.is_none_or(|best| self.extreme.beats(compare(row, best))) {
                best_row = Some(row);
            }
        }
        let Some(row) = best_row else {
            return Ok(());
        };
        let candidate = ScalarValue::try_from_array(by, row)?;
        let better = self.best_by.is_null()
            || candidate
                .partial_cmp(&self.best_by)
                .is_some_and(|ordering| self.extreme.beats(ordering));
        if better {
            self.best_by = candidate;
            self.best_value = ScalarValue::try_from_array(value, row)?;
        }
        Ok(())
    }
}

impl Accumulator for ArgExtremeAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.consider(&values[0], &values[1])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.consider(&states[0], &states[1])
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![self.best_by.clone(), self.best_value.clone()])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(self.best_value.clone())
    }

    fn size(&self) -> usize {
        size_of_val(self) + self.best_by.size() + self.best_value.size()
    }
}

#[cfg(test)]
pub(super) async fn arg_of(udaf: Arc<AggregateUDF>) -> (ScalarValue, ScalarValue) {
    use datafusion::arrow::array::{Int64Array, StringArray};
    use datafusion::prelude::col;
    // Rows (x = by, g = value) spread over three partitions, with a tie on the maximum and nulls.
    let chunk = |by: Vec<Option<i64>>, value: Vec<&str>| -> Vec<(ArrayRef, ArrayRef)> {
        vec![(
            Arc::new(Int64Array::from(by)) as ArrayRef,
            Arc::new(StringArray::from(value)) as ArrayRef,
        )]
    };
    let chunks = vec![
        chunk(vec![Some(3), None, Some(-2)], vec!["three", "null", "minus two"]),
        chunk(vec![Some(9), Some(1)], vec!["nine", "one"]),
        chunk(vec![None, Some(-5), Some(4)], vec!["null", "minus five", "four"]),
    ];
    let batch =
        super::support::testing::query(chunks, vec![], vec![udaf.call(vec![col("x"), col("g")])]).await;
    let empty = super::support::testing::query(
        vec![chunk(vec![None], vec!["only null"])],
        vec![],
        vec![udaf.call(vec![col("x"), col("g")])],
    )
    .await;
    (
        super::support::testing::only(&batch, 0),
        super::support::testing::only(&empty, 0),
    )
}
