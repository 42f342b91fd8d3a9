//! `binary_xor(a, b)`: bitwise XOR.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::bitwise::binary_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, binary_udf("kql_binary_xor", |a, b| Some(a ^ b)))
}

pub(crate) static BINARY_XOR: KustoFunction = KustoFunction::scalar(
    Signature::scalar("binary_xor", &[P::Integer, P::Integer], R::Fixed(T::Long)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::bitwise::call;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // binary_xor(1, 3) -> 2
        assert_eq!(call(&udf(), &[Some(1), Some(3)]), Some(2));
        assert_eq!(call(&udf(), &[None, Some(1)]), None);
    }
}
