//! `series_acos`, `series_asin`, `series_atan`, `series_ceiling`, `series_cos`, `series_exp`,
//! `series_floor`, `series_log`, `series_sin`, `series_tan`: the math function applied to every
//! element, giving reals; a non-numeric element gives null (`series_ceiling([-1.5,1,2.5])` is
//! `[-1.0,1.0,3.0]`). A result with no finite value (`series_log([0])`) is refused, see [`real`].

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::elementwise::unary;
use super::real;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define};

const PARAMS: Params = Params::fixed(&[Param::Str]);

macro_rules! series_math {
    ($(#[$doc:meta] $function:ident => $name:literal, $op:expr;)*) => {
        $(
            #[$doc]
            pub fn $function() -> Arc<ScalarUDF> {
                crate::singleton!(ScalarUDF, define($name, PARAMS, DataType::Utf8, |args| {
                    let op: fn(f64) -> f64 = $op;
                    unary(args, |x| real(args.name(), op(x.as_f64())))
                }))
            }
        )*
    };
}

series_math! {
    /// `kql_series_acos(series: Utf8 (dynamic)) -> Utf8 (dynamic)`.
    series_acos => "kql_series_acos", f64::acos;
    /// `kql_series_asin(series: Utf8 (dynamic)) -> Utf8 (dynamic)`.
    series_asin => "kql_series_asin", f64::asin;
    /// `kql_series_atan(series: Utf8 (dynamic)) -> Utf8 (dynamic)`.
    series_atan => "kql_series_atan", f64::atan;
    /// `kql_series_ceiling(series: Utf8 (dynamic)) -> Utf8 (dynamic)`.
    series_ceiling => "kql_series_ceiling", f64::ceil;
    /// `kql_series_cos(series: Utf8 (dynamic)) -> Utf8 (dynamic)`.
    series_cos => "kql_series_cos", f64::cos;
    /// `kql_series_exp(series: Utf8 (dynamic)) -> Utf8 (dynamic)`.
    series_exp => "kql_series_exp", f64::exp;
    /// `kql_series_floor(series: Utf8 (dynamic)) -> Utf8 (dynamic)`.
    series_floor => "kql_series_floor", f64::floor;
    /// `kql_series_log(series: Utf8 (dynamic)) -> Utf8 (dynamic)`: the natural logarithm.
    series_log => "kql_series_log", f64::ln;
    /// `kql_series_sin(series: Utf8 (dynamic)) -> Utf8 (dynamic)`.
    series_sin => "kql_series_sin", f64::sin;
    /// `kql_series_tan(series: Utf8 (dynamic)) -> Utf8 (dynamic)`.
    series_tan => "kql_series_tan", f64::tan;
}

pub(crate) static SERIES_ACOS: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_acos", &[P::Dynamic], R::Fixed(T::Dynamic)),
    series_acos,
);

pub(crate) static SERIES_ASIN: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_asin", &[P::Dynamic], R::Fixed(T::Dynamic)),
    series_asin,
);

pub(crate) static SERIES_ATAN: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_atan", &[P::Dynamic], R::Fixed(T::Dynamic)),
    series_atan,
);

pub(crate) static SERIES_CEILING: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_ceiling", &[P::Dynamic], R::Fixed(T::Dynamic)),
    series_ceiling,
);

pub(crate) static SERIES_COS: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_cos", &[P::Dynamic], R::Fixed(T::Dynamic)),
    series_cos,
);

pub(crate) static SERIES_EXP: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_exp", &[P::Dynamic], R::Fixed(T::Dynamic)),
    series_exp,
);

pub(crate) static SERIES_FLOOR: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_floor", &[P::Dynamic], R::Fixed(T::Dynamic)),
    series_floor,
);

pub(crate) static SERIES_LOG: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_log", &[P::Dynamic], R::Fixed(T::Dynamic)),
    series_log,
);

pub(crate) static SERIES_SIN: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_sin", &[P::Dynamic], R::Fixed(T::Dynamic)),
    series_sin,
);

pub(crate) static SERIES_TAN: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_tan", &[P::Dynamic], R::Fixed(T::Dynamic)),
    series_tan,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::*;
    use crate::string::kernel::testing::{call, call_scalars, s};

    #[test]
    fn docs_examples() {
        let apply = |udf: Arc<ScalarUDF>, series: &str| call_scalars(&udf, vec![s(series)]);
        assert_eq!(apply(series_ceiling(), "[-1.5,1,2.5]"), s("[-1.0,1.0,3.0]"));
        assert_eq!(apply(series_floor(), "[-1.5,1,2.5]"), s("[-2.0,1.0,2.0]"));
        assert_eq!(
            apply(series_atan(), "[-1,0,1]"),
            s("[-0.7853981633974483,0.0,0.7853981633974483]")
        );
        assert_eq!(
            apply(series_exp(), "[1,2,3]"),
            s("[2.718281828459045,7.38905609893065,20.085536923187668]")
        );
        assert_eq!(
            apply(series_log(), "[1,2,3]"),
            s("[0.0,0.6931471805599453,1.0986122886681098]")
        );
        assert_eq!(apply(series_cos(), r#"[0,"a",null]"#), s("[1.0,null,null]"));
        assert_eq!(apply(series_sin(), "5"), ScalarValue::Utf8(None));
    }

    #[test]
    fn non_finite_results_are_refused() {
        let zero = vec![ColumnarValue::Scalar(s("[0]"))];
        assert!(call(&series_log(), zero).is_err());
    }
}
