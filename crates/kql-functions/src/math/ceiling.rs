//! `ceiling(x)`: the smallest integer not less than `x`; ints and longs keep their type.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{KernelUdf, check_arity, numeric_arg};
use crate::declare::*;

const NAME: &str = "kql_ceiling";

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        KernelUdf::new(
            NAME,
            |types| {
                check_arity(NAME, types, 1, 1)?;
                Ok(vec![numeric_arg(NAME, types, 0)?.arrow_type()])
            },
            |types| Ok(types[0].clone()),
            kernel,
        )
        .into_udf()
    )
}

pub(crate) static CEILING: KustoFunction = KustoFunction::scalar(
    Signature::scalar("ceiling", &[P::Num], R::ArgType(0)).named(N::FirstArgument),
    udf,
);

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    Ok(match args[0].data_type() {
        DataType::Float64 => Arc::new(
            args[0]
                .as_primitive::<Float64Type>()
                .unary::<_, Float64Type>(f64::ceil),
        ),
        // Integers are their own ceiling.
        _ => Arc::clone(&args[0]),
    })
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::super::kernel::testing;
    use super::*;

    #[test]
    fn examples_from_the_kusto_docs() {
        // ceiling(-1.1) == -1, ceiling(0) == 0, ceiling(1.1) == 2
        let ceiling = udf();
        assert_eq!(
            testing::scalar(&ceiling, vec![ScalarValue::Float64(Some(-1.1))]),
            ScalarValue::Float64(Some(-1.0))
        );
        assert_eq!(
            testing::scalar(&ceiling, vec![ScalarValue::Int64(Some(0))]),
            ScalarValue::Int64(Some(0))
        );
        assert_eq!(
            testing::scalar(&ceiling, vec![ScalarValue::Float64(Some(1.1))]),
            ScalarValue::Float64(Some(2.0))
        );
        assert_eq!(
            testing::scalar(&ceiling, vec![ScalarValue::Float64(None)]),
            ScalarValue::Float64(None)
        );
    }
}
