//! `binary_shift_left(a, b)`: `a` shifted left by `b` bits (bits shifted out are lost).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::bitwise::binary_udf;

use super::bitwise::shift_count;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        binary_udf("kql_binary_shift_left", |value, count| {
            shift_count(count).map(|count| value << count)
        })
    )
}

pub(crate) static BINARY_SHIFT_LEFT: KustoFunction = KustoFunction::scalar(
    Signature::scalar("binary_shift_left", &[P::Integer, P::Integer], R::Fixed(T::Long))
        .named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::bitwise::call;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // binary_shift_left(1, 2) -> 4
        assert_eq!(call(&udf(), &[Some(1), Some(2)]), Some(4));
        // "value << (shift%64)".
        assert_eq!(call(&udf(), &[Some(1), Some(64)]), Some(1));
        assert_eq!(call(&udf(), &[Some(1), Some(66)]), Some(4));
        assert_eq!(call(&udf(), &[Some(1), Some(-1)]), None);
        assert_eq!(call(&udf(), &[None, Some(1)]), None);
    }
}
