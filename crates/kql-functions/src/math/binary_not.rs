//! `binary_not(a)`: bitwise NOT.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::bitwise::unary_udf;

pub fn udf() -> Arc<ScalarUDF> {
    unary_udf("kql_binary_not", |value| !value)
}

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
