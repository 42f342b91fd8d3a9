//! `isempty(x)` / `isnotempty(x)`: a value is empty when it is null or the empty string
//! (`isempty("")` is true, `isempty(0)` is false).

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, BooleanArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, Expr, ScalarUDF};

use super::isnull::{empty, only_argument};
use super::kernel::{Args, Param, Params, define};
use crate::declare::*;
use crate::registry::ScalarCall;

const PARAMS: Params = Params::fixed(&[Param::Any]);

/// `kql_isempty(x: any) -> Boolean`.
pub fn isempty() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_isempty", PARAMS, DataType::Boolean, |args| eval(args, true))
    )
}

/// `kql_isnotempty(x: any) -> Boolean`.
pub fn isnotempty() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_isnotempty", PARAMS, DataType::Boolean, |args| {
            eval(args, false)
        })
    )
}

// Planned inline (`x IS NULL OR x = ''`), which DataFusion can push down; the UDFs above are not
// reached from queries (see `NOT_REACHED`).
pub(crate) static ISEMPTY: KustoFunction = KustoFunction::scalar_expr(
    Signature::scalar("isempty", &[P::Any], R::Fixed(T::Bool)),
    lower_isempty,
);

pub(crate) static ISNOTEMPTY: KustoFunction = KustoFunction::scalar_expr(
    Signature::scalar("isnotempty", &[P::Any], R::Fixed(T::Bool)).aliases(&["notempty"]),
    lower_isnotempty,
);

fn lower_isempty(call: ScalarCall) -> Result<Expr> {
    let (value, ty) = only_argument(call)?;
    Ok(empty(value, ty))
}

fn lower_isnotempty(call: ScalarCall) -> Result<Expr> {
    Ok(Expr::Not(Box::new(lower_isempty(call)?)))
}

fn eval(args: &Args, empty: bool) -> Result<ColumnarValue> {
    let values = args.any(0)?;
    let strings = values.as_string_opt::<i32>();
    // Logical nulls, so that an untyped null (a `NullArray`) counts as null too.
    let nulls = values.logical_nulls();
    let result: BooleanArray = (0..args.rows())
        .map(|row| {
            let is_empty = nulls.as_ref().is_some_and(|n| n.is_null(row))
                || strings.is_some_and(|s| s.value(row).is_empty());
            Some(is_empty == empty)
        })
        .collect();
    args.finish(Arc::new(result))
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // isempty("") == true; isempty("x") == false; isempty(int(null)) == true; isempty(0) == false.
        let t = ScalarValue::Boolean(Some(true));
        let f = ScalarValue::Boolean(Some(false));
        assert_eq!(call_scalars(&isempty(), vec![s("")]), t);
        assert_eq!(call_scalars(&isempty(), vec![s("x")]), f);
        assert_eq!(call_scalars(&isempty(), vec![ScalarValue::Int64(None)]), t);
        assert_eq!(call_scalars(&isempty(), vec![long(0)]), f);
        assert_eq!(call_scalars(&isnotempty(), vec![s("x")]), t);
        assert_eq!(call_scalars(&isnotempty(), vec![ScalarValue::Utf8(None)]), f);
    }
}
