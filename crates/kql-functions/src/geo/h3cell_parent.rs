//! `geo_h3cell_parent(h3cell, [resolution])`: the token of an H3 cell's ancestor at `resolution`
//! (default: one level up); null for an invalid token or a resolution outside 0..=14 or below the cell.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use h3o::Resolution;

use super::h3cell;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_geo_h3cell_parent(h3cell: Utf8, [resolution: Int64]) -> Utf8`.
pub fn h3cell_parent() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_h3cell_parent",
            Params::optional(&[Param::Str], &[Param::Long]),
            DataType::Utf8,
            |args| {
                let tokens = args.str(0)?;
                let resolutions = if args.has(1) { Some(args.long(1)?) } else { None };
                optional_string_rows(args, |row| {
                    let Some(cell) = h3cell::parse(tokens.get(row)) else {
                        return Ok(None);
                    };
                    let resolution = match &resolutions {
                        Some(column) => h3cell::resolution(column.get(row)),
                        None => cell.resolution().pred(),
                    };
                    Ok(resolution
                        .filter(|&resolution| resolution != Resolution::Fifteen)
                        .and_then(|resolution| cell.parent(resolution))
                        .map(|parent| parent.to_string()))
                })
            },
        )
    )
}

pub(crate) static GEO_H3CELL_PARENT: KustoFunction = KustoFunction::scalar(
    Signature::scalar("geo_h3cell_parent", &[P::Str, P::Integer], R::Fixed(T::String)).optional_from(1),
    h3cell_parent,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s, text};

    #[test]
    fn docs_examples() {
        // The children of '862a1072fffffff' (geo-h3cell-children-function-00) have it as their parent.
        let udf = h3cell_parent();
        assert_eq!(
            text(call_scalars(&udf, vec![s("872a10728ffffff")])),
            "862a1072fffffff"
        );
        assert_eq!(
            text(call_scalars(&udf, vec![s("872a1072effffff"), long(6)])),
            "862a1072fffffff"
        );
        assert_eq!(
            call_scalars(&udf, vec![s("862a1072fffffff"), long(7)]),
            ScalarValue::Utf8(None)
        );
        assert_eq!(call_scalars(&udf, vec![s("abc")]), ScalarValue::Utf8(None));
    }
}
