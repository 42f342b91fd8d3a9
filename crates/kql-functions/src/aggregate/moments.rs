//! Shared body of `stdev` and `variance`: the sample (n - 1) statistics, except that fewer than two
//! values give 0 rather than DataFusion's null (the emulator answers 0.0 for `stdev`/`variance` of an
//! empty table). Welford's running moments; partial states merge with Chan's formula.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, FieldRef, Float64Type};

use super::support::float_state_fields;
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};

use crate::math::kernel::Numeric;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Statistic {
    Variance,
    StandardDeviation,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) struct MomentsUdaf {
    name: &'static str,
    signature: Signature,
    statistic: Statistic,
}

impl MomentsUdaf {
    pub(super) fn udaf(name: &'static str, statistic: Statistic) -> Arc<AggregateUDF> {
        let signature = Signature::user_defined(Volatility::Immutable);
        Arc::new(AggregateUDF::from(MomentsUdaf {
            name,
            signature,
            statistic,
        }))
    }
}

impl AggregateUDFImpl for MomentsUdaf {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [value] if Numeric::of(value).is_some() => Ok(vec![DataType::Float64]),
            _ => plan_err!("{}() expects one number, got {arg_types:?}", self.name),
        }
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(float_state_fields(args.name, &["count", "mean", "m2"]))
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(MomentsAccumulator {
            statistic: self.statistic,
            count: 0.0,
            mean: 0.0,
            m2: 0.0,
        }))
    }

    fn default_value(&self, _data_type: &DataType) -> Result<ScalarValue> {
        Ok(ScalarValue::Float64(Some(0.0)))
    }
}

#[derive(Debug)]
struct MomentsAccumulator {
    statistic: Statistic,
    count: f64,
    mean: f64,
    m2: f64,
}

impl MomentsAccumulator {
    fn merge(&mut self, count: f64, mean: f64, m2: f64) {
        if count == 0.0 {
            return;
        }
        let total = self.count + count;
        let delta = mean - self.mean;
        self.mean += delta * count / total;
        self.m2 += m2 + delta * delta * self.count * count / total;
        self.count = total;
    }
}

impl Accumulator for MomentsAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        for value in values[0].as_primitive::<Float64Type>().iter().flatten() {
            self.merge(1.0, value, 0.0);
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let [count, mean, m2] = [0, 1, 2].map(|i| states[i].as_primitive::<Float64Type>());
        for row in 0..count.len() {
            if count.is_valid(row) {
                self.merge(count.value(row), mean.value(row), m2.value(row));
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok([self.count, self.mean, self.m2]
            .map(|v| ScalarValue::Float64(Some(v)))
            .to_vec())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let variance = if self.count < 2.0 {
            0.0
        } else {
            self.m2 / (self.count - 1.0)
        };
        Ok(ScalarValue::Float64(Some(match self.statistic {
            Statistic::Variance => variance,
            Statistic::StandardDeviation => variance.sqrt(),
        })))
    }

    fn size(&self) -> usize {
        size_of_val(self)
    }
}

#[cfg(test)]
pub(super) async fn statistic_of(udaf: Arc<AggregateUDF>, chunks: Vec<Vec<i64>>) -> ScalarValue {
    use datafusion::arrow::array::Int64Array;
    use datafusion::prelude::col;
    let chunks = chunks
        .into_iter()
        .map(|values| {
            let keys: ArrayRef = Arc::new(Int64Array::from(vec![0; values.len()]));
            vec![(Arc::new(Int64Array::from(values)) as ArrayRef, keys)]
        })
        .collect();
    let batch = super::support::testing::query(chunks, vec![], vec![udaf.call(vec![col("x")])]).await;
    super::support::testing::only(&batch, 0)
}
