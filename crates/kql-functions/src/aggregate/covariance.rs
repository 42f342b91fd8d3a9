//! `covariance(x, y)`: the sample covariance, sum((x - mean x)(y - mean y)) / (n - 1), over the rows
//! where both are non-null. `covarianceif` is the same over the rows that pass its predicate (the
//! planner's filter). Running co-moments; partial states merge with Chan's formula. Fewer than two
//! pairs give 0, as Kusto's `variance` does.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, FieldRef, Float64Type};

use super::support::float_state_fields;
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};

use crate::declare::*;
use crate::math::kernel::Numeric;

pub fn udaf() -> Arc<AggregateUDF> {
    crate::singleton!(
        AggregateUDF,
        CovarianceUdaf::udaf("kql_covariance", Divisor::Sample)
    )
}

pub(crate) static COVARIANCE: KustoFunction = KustoFunction::aggregate(
    crate::declare::Signature::aggregate("covariance", &[P::Num, P::Num], R::Fixed(T::Real))
        .named(N::PrefixedPair("covariance")),
    udaf,
);

// The predicate follows both values.
pub(crate) static COVARIANCEIF: KustoFunction = KustoFunction::conditional(
    crate::declare::Signature::aggregate("covarianceif", &[P::Num, P::Num, P::Bool], R::Fixed(T::Real))
        .named(N::PrefixedPair("covarianceif")),
    &COVARIANCE,
    2,
);

/// What the co-moment is divided by: n - 1 for the sample covariance, n for the population's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(super) enum Divisor {
    #[default]
    Sample,
    Population,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) struct CovarianceUdaf {
    name: &'static str,
    divisor: Divisor,
    signature: Signature,
}

impl CovarianceUdaf {
    pub(super) fn udaf(name: &'static str, divisor: Divisor) -> Arc<AggregateUDF> {
        Arc::new(AggregateUDF::from(CovarianceUdaf {
            name,
            divisor,
            signature: Signature::user_defined(Volatility::Immutable),
        }))
    }
}

impl AggregateUDFImpl for CovarianceUdaf {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [x, y] if Numeric::of(x).is_some() && Numeric::of(y).is_some() => {
                Ok(vec![DataType::Float64, DataType::Float64])
            }
            _ => plan_err!("{}() expects two numbers, got {arg_types:?}", self.name),
        }
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(float_state_fields(
            args.name,
            &["count", "mean_x", "mean_y", "comoment"],
        ))
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(CoMoments {
            divisor: self.divisor,
            ..CoMoments::default()
        }))
    }

    fn default_value(&self, _data_type: &DataType) -> Result<ScalarValue> {
        Ok(ScalarValue::Float64(Some(0.0)))
    }
}

/// Count, means and the co-moment sum((x - mean x)(y - mean y)) of the pairs seen.
#[derive(Debug, Default)]
struct CoMoments {
    divisor: Divisor,
    count: f64,
    mean_x: f64,
    mean_y: f64,
    comoment: f64,
}

impl CoMoments {
    fn merge(&mut self, other: CoMoments) {
        if other.count == 0.0 {
            return;
        }
        let total = self.count + other.count;
        let delta_x = other.mean_x - self.mean_x;
        let delta_y = other.mean_y - self.mean_y;
        self.comoment += other.comoment + delta_x * delta_y * self.count * other.count / total;
        self.mean_x += delta_x * other.count / total;
        self.mean_y += delta_y * other.count / total;
        self.count = total;
    }
}

impl Accumulator for CoMoments {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let [x, y] = [0, 1].map(|i| values[i].as_primitive::<Float64Type>());
        for (x, y) in x.iter().zip(y.iter()) {
            if let (Some(x), Some(y)) = (x, y) {
                self.merge(CoMoments {
                    divisor: self.divisor,
                    count: 1.0,
                    mean_x: x,
                    mean_y: y,
                    comoment: 0.0,
                });
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let [count, mean_x, mean_y, comoment] = [0, 1, 2, 3].map(|i| states[i].as_primitive::<Float64Type>());
        for row in (0..count.len()).filter(|&row| count.is_valid(row)) {
            self.merge(CoMoments {
                divisor: self.divisor,
                count: count.value(row),
                mean_x: mean_x.value(row),
                mean_y: mean_y.value(row),
                comoment: comoment.value(row),
            });
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok([self.count, self.mean_x, self.mean_y, self.comoment]
            .map(|v| ScalarValue::Float64(Some(v)))
            .to_vec())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let covariance = match self.divisor {
            Divisor::Sample if self.count >= 2.0 => self.comoment / (self.count - 1.0),
            Divisor::Population if self.count >= 1.0 => self.comoment / self.count,
            _ => 0.0,
        };
        Ok(ScalarValue::Float64(Some(covariance)))
    }

    fn size(&self) -> usize {
        size_of_val(self)
    }
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::Float64Array;
    use datafusion::prelude::col;

    use super::super::support::testing::{only, query};
    use super::*;

    async fn covariance_of(pairs: &[(Option<f64>, Option<f64>)], partitions: usize) -> ScalarValue {
        let size = pairs.len().div_ceil(partitions).max(1);
        let chunks = pairs
            .chunks(size)
            .map(|chunk| {
                let x: ArrayRef = Arc::new(chunk.iter().map(|p| p.0).collect::<Float64Array>());
                let y: ArrayRef = Arc::new(chunk.iter().map(|p| p.1).collect::<Float64Array>());
                vec![(x, y)]
            })
            .collect();
        let batch = query(chunks, vec![], vec![udaf().call(vec![col("x"), col("g")])]).await;
        only(&batch, 0)
    }

    #[tokio::test]
    async fn docs_example_across_partitions() {
        // covariance docs: x 1..5, y 14, 10, 17, 20, 50 -> 20.5; a pair with a null is ignored.
        let mut pairs: Vec<_> = [(1.0, 14.0), (2.0, 10.0), (3.0, 17.0), (4.0, 20.0), (5.0, 50.0)]
            .map(|(x, y)| (Some(x), Some(y)))
            .to_vec();
        pairs.push((Some(100.0), None));
        for partitions in [1, 3] {
            assert_eq!(
                covariance_of(&pairs, partitions).await,
                ScalarValue::Float64(Some(20.5))
            );
        }
    }

    #[tokio::test]
    async fn covarianceif_example_rows() {
        // covarianceif docs: range x from 1 to 100, y = x even ? 2x : 3x, rows with x % 3 == 0 -> 2142.
        let pairs: Vec<_> = (1..=100)
            .filter(|x| x % 3 == 0)
            .map(|x| {
                (
                    Some(x as f64),
                    Some(if x % 2 == 0 { 2 * x } else { 3 * x } as f64),
                )
            })
            .collect();
        match covariance_of(&pairs, 2).await {
            ScalarValue::Float64(Some(value)) => assert!((value - 2142.0).abs() < 1e-9, "{value}"),
            other => panic!("{other:?}"),
        }
    }
}
