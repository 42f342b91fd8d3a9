//! `sign(x)`: -1, 0 or 1 by the sign of `x`, as a real (Kusto types `sign` as real for every input).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::kernel::real_unary;
use crate::declare::*;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        real_unary("kql_sign", |x| {
            Some(if x > 0.0 {
                1.0
            } else if x < 0.0 {
                -1.0
            } else {
                // 0 stays 0 and NaN stays NaN.
                x
            })
        })
    )
}

pub(crate) static SIGN: KustoFunction =
    KustoFunction::scalar(Signature::scalar("sign", &[P::Num], R::Fixed(T::Real)), udf);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::super::kernel::testing;
    use super::*;

    #[test]
    fn examples_from_the_kusto_docs() {
        // print x=sign(0), y=sign(6), z=sign(0.0), w=sign(-6), v=sign(-6.0) -> 0, 1, 0, -1, -1
        for (input, expected) in [(0.0, 0.0), (6.0, 1.0), (-6.0, -1.0)] {
            let out = testing::scalar(&udf(), vec![ScalarValue::Float64(Some(input))]);
            assert_eq!(out, ScalarValue::Float64(Some(expected)));
        }
        assert_eq!(
            testing::scalar(&udf(), vec![ScalarValue::Float64(None)]),
            ScalarValue::Float64(None)
        );
    }
}
