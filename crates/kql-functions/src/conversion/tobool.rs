//! `tobool(x)`: "true"/"false" (any case) and numbers (non-zero is true) convert; anything else is
//! null (`tobool("true")` true, `tobool("false")` false, `tobool(1)` true, `tobool(123)` true).

use std::sync::Arc;

use datafusion::arrow::array::BooleanBuilder;
use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::render::{Scalar, for_each};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define};

/// `kql_tobool(x: any) -> Boolean`.
pub fn tobool() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_tobool",
            Params::fixed(&[Param::Any]),
            DataType::Boolean,
            |args| {
                let mut out = BooleanBuilder::with_capacity(args.rows());
                for_each(&args.any(0)?, |v| {
                    out.append_option(v.and_then(|v| to_bool(&v)));
                    Ok(())
                })?;
                args.finish(Arc::new(out.finish()))
            },
        )
    )
}

pub(crate) static TOBOOL: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("tobool", &[P::Any], R::Fixed(T::Bool)).named(N::FirstArgument),
    super::lower_conversion,
    super::CONVERSION_UDFS,
);

pub(crate) static TOBOOLEAN: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("toboolean", &[P::Any], R::Fixed(T::Bool)).named(N::FirstArgument),
    super::lower_conversion,
    super::CONVERSION_UDFS,
);

fn to_bool(value: &Scalar<'_>) -> Option<bool> {
    match value {
        Scalar::Bool(v) => Some(*v),
        Scalar::Long(v) => Some(*v != 0),
        Scalar::UnsignedLong(v) => Some(*v != 0),
        Scalar::Real(v) => Some(*v != 0.0),
        Scalar::Str(text) => {
            let text = text.trim();
            let text = text
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .unwrap_or(text);
            if text.eq_ignore_ascii_case("true") {
                Some(true)
            } else if text.eq_ignore_ascii_case("false") {
                Some(false)
            } else {
                text.parse::<i64>().ok().map(|v| v != 0)
            }
        }
        Scalar::DateTime(_) | Scalar::TimeSpan(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // tobool("true") == true; tobool("false") == false; tobool(1) == true; tobool(123) == true.
        let b = |v| ScalarValue::Boolean(v);
        assert_eq!(call_scalars(&tobool(), vec![s("true")]), b(Some(true)));
        assert_eq!(call_scalars(&tobool(), vec![s("FALSE")]), b(Some(false)));
        assert_eq!(call_scalars(&tobool(), vec![long(1)]), b(Some(true)));
        assert_eq!(call_scalars(&tobool(), vec![long(123)]), b(Some(true)));
        assert_eq!(call_scalars(&tobool(), vec![s("0")]), b(Some(false)));
        assert_eq!(call_scalars(&tobool(), vec![s("yes")]), b(None));
    }
}
