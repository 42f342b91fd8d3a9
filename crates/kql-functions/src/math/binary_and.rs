//! `binary_and(a, b)`: bitwise AND.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::bitwise::binary_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, binary_udf("kql_binary_and", |a, b| Some(a & b)))
}

pub(crate) static BINARY_AND: KustoFunction = KustoFunction::scalar(
    Signature::scalar("binary_and", &[P::Integer, P::Integer], R::Fixed(T::Long)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::bitwise::call;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // binary_and(6, 3) -> 2 (0b110 & 0b011)
        assert_eq!(call(&udf(), &[Some(6), Some(3)]), Some(2));
        assert_eq!(call(&udf(), &[None, Some(1)]), None);
    }
}
