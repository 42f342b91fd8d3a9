//! `rand()`: a random real in [0, 1), new for each row (DataFusion's `random()`); `rand(N)`: a random
//! real from {0.0, 1.0, ..., N - 1} (the rand function page), drawn by `kql_rand` from `random()`.
//! The page defines that set only for N of 1 or more, so a smaller N is refused, not answered.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, Float64Array};
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::{Result, exec_err};
use datafusion::functions::expr_fn::random;
use datafusion::logical_expr::{Expr, ScalarUDF};

use super::kernel::{KernelUdf, coerce_all_to_real};
use crate::declare::*;
use crate::registry::ScalarCall;

const NAME: &str = "kql_rand";

pub(crate) static RAND: KustoFunction = KustoFunction::scalar_expr_calling(
    // rand([N]): a random number in [0, 1), or a whole one below N, new for each row.
    Signature::scalar("rand", &[P::Integer], R::Fixed(T::Real)).optional_from(0),
    lower,
    &[udf],
);

fn lower(call: ScalarCall) -> Result<Expr> {
    Ok(match call.args.into_iter().next() {
        None => random(),
        Some(range) => udf().call(vec![random(), range]),
    })
}

/// `kql_rand(uniform: real, n: real) -> real`: `floor(uniform * n)`; null for a null `n`.
pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        KernelUdf::new(
            NAME,
            |types| coerce_all_to_real(NAME, types, 2),
            |_| Ok(DataType::Float64),
            |args| {
                let (uniform, range) = (
                    args[0].as_primitive::<Float64Type>(),
                    args[1].as_primitive::<Float64Type>(),
                );
                let values = (0..uniform.len())
                    .map(|row| {
                        if range.is_null(row) {
                            return Ok(None);
                        }
                        match range.value(row) {
                            n if n >= 1.0 => Ok(Some((uniform.value(row) * n).floor())),
                            n => exec_err!(
                                "not supported: rand({n}): the docs define rand(N) as a value from \
                                 {{0.0, 1.0, ..., N - 1}}, which is empty for N below 1"
                            ),
                        }
                    })
                    .collect::<Result<Float64Array>>()?;
                Ok(Arc::new(values) as _)
            },
        )
        .into_udf()
    )
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::super::kernel::testing::{invoke, real};
    use super::*;

    #[test]
    fn whole_values_below_n_and_a_refusal_below_one() {
        assert_eq!(real(&udf(), &[Some(0.99), Some(10.0)]), Some(9.0));
        assert_eq!(real(&udf(), &[Some(0.5), Some(1.0)]), Some(0.0));
        assert_eq!(real(&udf(), &[Some(0.5), None]), None);
        let below_one = [0.5, 0.0].map(|v| ColumnarValue::Scalar(ScalarValue::Float64(Some(v))));
        assert!(invoke(&udf(), below_one.to_vec()).is_err());
    }
}
