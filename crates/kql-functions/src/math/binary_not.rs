//! `binary_not(a)`: bitwise NOT.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::bitwise::unary_udf;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, unary_udf("kql_binary_not", |value| !value))
}

pub(crate) static BINARY_NOT: KustoFunction = KustoFunction::scalar(
    Signature::scalar("binary_not", &[P::Integer], R::Fixed(T::Long)).named(N::FirstArgument),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::bitwise::call;
    use super::*;

    #[test]
    fn example_from_the_kusto_docs() {
        // binary_not(100) -> -101
        assert_eq!(call(&udf(), &[Some(100)]), Some(-101));
        assert_eq!(call(&udf(), &[None]), None);
    }
}
