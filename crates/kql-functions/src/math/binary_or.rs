//! `binary_or(a, b)`: bitwise OR.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::bitwise::binary_udf;

pub fn udf() -> Arc<ScalarUDF> {
    binary_udf("kql_binary_or", |a, b| Some(a | b))
}

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
