//! `binary_shift_right(a, b)`: `a` shifted right by `b` bits, arithmetically (the sign is kept).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::bitwise::binary_udf;

use super::bitwise::shift_count;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        binary_udf("kql_binary_shift_right", |value, count| {
            shift_count(count).map(|count| value >> count)
        })
    )
}

pub(crate) static BINARY_SHIFT_RIGHT: KustoFunction = KustoFunction::scalar(
    Signature::scalar("binary_shift_right", &[P::Integer, P::Integer], R::Fixed(T::Long))
        .named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::bitwise::call;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // binary_shift_right(8, 2) -> 2
        assert_eq!(call(&udf(), &[Some(8), Some(2)]), Some(2));
        assert_eq!(call(&udf(), &[Some(-8), Some(1)]), Some(-4));
        // "value >> (shift%64)".
        assert_eq!(call(&udf(), &[Some(16), Some(66)]), Some(4));
        assert_eq!(call(&udf(), &[None, Some(1)]), None);
    }
}
