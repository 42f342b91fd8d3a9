//! `binary_or(a, b)`: bitwise OR.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::bitwise::binary_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, binary_udf("kql_binary_or", |a, b| Some(a | b)))
}

pub(crate) static BINARY_OR: KustoFunction = KustoFunction::scalar(
    Signature::scalar("binary_or", &[P::Integer, P::Integer], R::Fixed(T::Long)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::bitwise::call;
    use super::*;

    #[test]
    fn kusto_examples_and_nulls() {
        // print result = binary_or(5, 3) -> 7
        assert_eq!(call(&udf(), &[Some(5), Some(3)]), Some(7));
        assert_eq!(call(&udf(), &[None, Some(1)]), None);
    }
}
