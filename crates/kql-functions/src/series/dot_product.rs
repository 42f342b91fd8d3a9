//! `series_dot_product(series1, series2)`: the sum of the element-wise products, as a real. Either
//! argument may be a number, which stands for every element; the longer array is cut to the shorter's
//! length; pairs with a non-numeric element are skipped; an empty array gives null
//! (`series_dot_product([1,2,4], [4,2,1])` is `12.0`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::elementwise::Operand;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, double_rows};

/// `kql_series_dot_product(series1: Utf8 (dynamic), series2: Utf8 (dynamic)) -> Float64`.
pub fn series_dot_product() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::fixed(&[Param::Str, Param::Str]);
        define("kql_series_dot_product", params, DataType::Float64, |args| {
            let (left, right) = (args.str(0)?, args.str(1)?);
            double_rows(args, |row| {
                let (Some(left), Some(right)) =
                    (Operand::of(left.get_opt(row)), Operand::of(right.get_opt(row)))
                else {
                    return Ok(None);
                };
                let len = match (left.len(), right.len()) {
                    (Some(l), Some(r)) => l.min(r),
                    (Some(len), None) | (None, Some(len)) => len,
                    (None, None) => return Ok(None),
                };
                if len == 0 {
                    return Ok(None);
                }
                let sum = (0..len)
                    .filter_map(|index| Some(left.at(index)?.as_f64() * right.at(index)?.as_f64()))
                    .sum();
                Ok(Some(sum))
            })
        })
    })
}

pub(crate) static SERIES_DOT_PRODUCT: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_dot_product", &[P::Dynamic, P::Dynamic], R::Fixed(T::Real)),
    series_dot_product,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, real, s};

    fn dot(left: &str, right: &str) -> ScalarValue {
        call_scalars(&series_dot_product(), vec![s(left), s(right)])
    }

    #[test]
    fn docs_examples() {
        assert_eq!(dot("[1,2,4]", "[4,2,1]"), real(12.0));
        assert_eq!(dot("[2,4,8]", "[8,4,2]"), real(48.0));
        // The alternative syntax: a number is broadcast.
        assert_eq!(dot("[1,2,4]", "1"), real(7.0));
        assert_eq!(dot("[3,6,12]", "3"), real(63.0));
    }

    #[test]
    fn documented_edge_cases() {
        // "the longer series will be truncated", "any non-numeric element ... will be ignored",
        // "If one or both input arrays are empty, the result will be null".
        assert_eq!(dot("[1,2,3]", "[10,10]"), real(30.0));
        assert_eq!(dot(r#"[1,"a",3]"#, "[10,10,10]"), real(40.0));
        assert_eq!(dot("[]", "[1]"), ScalarValue::Float64(None));
    }
}
