//! `binary_xor(a, b)`: bitwise XOR.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::bitwise::binary_udf;

pub fn udf() -> Arc<ScalarUDF> {
    binary_udf("kql_binary_xor", |a, b| Some(a ^ b))
}

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
