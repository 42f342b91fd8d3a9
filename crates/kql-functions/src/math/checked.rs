//! `+`, `-` and `*` on whole numbers (long, and datetime/timespan nanosecond counts) that fail on
//! overflow. Kusto's "overflow" page: an overflow "leads to a partial query failure"; DataFusion's
//! operators wrap around, which would answer a wrong number instead.

use std::sync::Arc;

use datafusion::arrow::compute::kernels::numeric;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DataFusionError, plan_err};
use datafusion::logical_expr::{Operator, ScalarUDF};

use super::kernel::{KernelUdf, check_arity};
use crate::registry::InternalFunction;

fn checked_udf(name: &'static str, operator: Operator) -> Arc<ScalarUDF> {
    KernelUdf::new(
        name,
        move |types| {
            check_arity(name, types, 2, 2)?;
            if types
                .iter()
                .any(|t| !matches!(t, DataType::Int64 | DataType::Null))
            {
                return plan_err!("{name}(): expected two longs, got {types:?}");
            }
            Ok(vec![DataType::Int64; 2])
        },
        |_| Ok(DataType::Int64),
        move |args| {
            let kernel = match operator {
                Operator::Plus => numeric::add,
                Operator::Minus => numeric::sub,
                _ => numeric::mul,
            };
            kernel(&args[0], &args[1]).map_err(|error| {
                DataFusionError::Execution(format!(
                    "arithmetic overflow: `{operator}` on whole numbers gives a value outside the 64-bit \
                     range (Kusto fails such a query too): {error}"
                ))
            })
        },
    )
    .into_udf()
}

pub fn add() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, checked_udf("kql_add", Operator::Plus))
}

pub fn subtract() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, checked_udf("kql_subtract", Operator::Minus))
}

pub fn multiply() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, checked_udf("kql_multiply", Operator::Multiply))
}

/// The UDF computing `op` on longs with an overflow check, if it is one of `+ - *`.
pub fn for_operator(op: Operator) -> Option<Arc<ScalarUDF>> {
    match op {
        Operator::Plus => Some(add()),
        Operator::Minus => Some(subtract()),
        Operator::Multiply => Some(multiply()),
        _ => None,
    }
}

pub(crate) static ADD: InternalFunction = InternalFunction::scalar("add", add);
pub(crate) static SUBTRACT: InternalFunction = InternalFunction::scalar("subtract", subtract);
pub(crate) static MULTIPLY: InternalFunction = InternalFunction::scalar("multiply", multiply);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::*;
    use crate::math::kernel::testing::{invoke, scalar};

    #[test]
    fn in_range_computes_and_overflow_fails() {
        let long = |v: i64| ScalarValue::Int64(Some(v));
        assert_eq!(scalar(&add(), vec![long(2), long(-5)]), long(-3));
        assert_eq!(
            scalar(&subtract(), vec![long(i64::MIN + 1), long(1)]),
            long(i64::MIN)
        );
        assert_eq!(scalar(&multiply(), vec![long(-4), long(5)]), long(-20));
        for (udf, (a, b)) in [
            (add(), (i64::MAX, 1)),
            (subtract(), (i64::MIN, 1)),
            (multiply(), (i64::MAX, 2)),
        ] {
            let args = vec![ColumnarValue::Scalar(long(a)), ColumnarValue::Scalar(long(b))];
            let error = invoke(&udf, args).unwrap_err();
            assert!(error.to_string().contains("overflow"), "{error}");
        }
    }
}
