//! `bitset_count_ones(value)`: the number of set bits in the value's binary form
//! (`bitset_count_ones(42)` is 3: 42 is 0b101010). An int counts its 32 bits and a long its 64, so
//! `bitset_count_ones(int(-1))` is 32 and `bitset_count_ones(-1)` is 64, as .NET's `PopCount` counts them.

use std::sync::Arc;

use datafusion::arrow::array::AsArray;
use datafusion::arrow::datatypes::{DataType, Int32Type, Int64Type};
use datafusion::common::plan_err;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{KernelUdf, Numeric, check_arity, map_unary};
use crate::declare::*;

const NAME: &str = "kql_bitset_count_ones";

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        KernelUdf::new(
            NAME,
            |types| {
                check_arity(NAME, types, 1, 1)?;
                match Numeric::of(&types[0]) {
                    Some(Numeric::Int) => Ok(vec![DataType::Int32]),
                    Some(Numeric::Long) => Ok(vec![DataType::Int64]),
                    _ => plan_err!("{NAME}() expects an int or a long, got {}", types[0]),
                }
            },
            |_| Ok(DataType::Int64),
            |args| {
                let counted = match args[0].data_type() {
                    DataType::Int32 => map_unary::<Int32Type, Int64Type>(args[0].as_primitive(), |v| {
                        Some(i64::from(v.count_ones()))
                    }),
                    _ => map_unary::<Int64Type, Int64Type>(args[0].as_primitive(), |v| {
                        Some(i64::from(v.count_ones()))
                    }),
                };
                Ok(Arc::new(counted))
            },
        )
        .into_udf()
    )
}

pub(crate) static BITSET_COUNT_ONES: KustoFunction = KustoFunction::scalar(
    Signature::scalar("bitset_count_ones", &[P::Integer], R::Fixed(T::Long)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::super::kernel::testing::scalar;
    use super::*;

    #[test]
    fn docs_example_and_widths() {
        // bitset-count-ones-function: 42 = 32+8+2 has 3 bits set.
        assert_eq!(
            scalar(&udf(), vec![ScalarValue::Int64(Some(42))]),
            ScalarValue::Int64(Some(3))
        );
        assert_eq!(
            scalar(&udf(), vec![ScalarValue::Int32(Some(42))]),
            ScalarValue::Int64(Some(3))
        );
        assert_eq!(
            scalar(&udf(), vec![ScalarValue::Int64(Some(-1))]),
            ScalarValue::Int64(Some(64))
        );
        assert_eq!(
            scalar(&udf(), vec![ScalarValue::Int32(Some(-1))]),
            ScalarValue::Int64(Some(32))
        );
        assert_eq!(
            scalar(&udf(), vec![ScalarValue::Int64(None)]),
            ScalarValue::Int64(None)
        );
    }
}
