//! `geo_h3cell_children(h3cell, [resolution])`: the tokens of an H3 cell's descendants at `resolution`
//! (default: one level down), as a dynamic array; null for an invalid token, a resolution outside 1..=15
//! or below the cell, or more than five levels down (Kusto caps the answer at 7^5 cells).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use h3o::Resolution;

use super::{h3cell, string_array_json};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// The most levels below the cell Kusto descends.
const MAX_LEVELS_DOWN: u8 = 5;

/// `kql_geo_h3cell_children(h3cell: Utf8, [resolution: Int64]) -> Utf8` (dynamic).
pub fn h3cell_children() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_h3cell_children",
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
                        None => cell.resolution().succ(),
                    };
                    let levels_down = |resolution: Resolution| {
                        u8::from(resolution).checked_sub(u8::from(cell.resolution()))
                    };
                    Ok(resolution
                        .filter(|&resolution| resolution != Resolution::Zero)
                        .filter(|&resolution| {
                            levels_down(resolution).is_some_and(|levels| levels <= MAX_LEVELS_DOWN)
                        })
                        .map(|resolution| {
                            let children: Vec<String> =
                                cell.children(resolution).map(|c| c.to_string()).collect();
                            string_array_json(&children)
                        }))
                })
            },
        )
    )
}

pub(crate) static GEO_H3CELL_CHILDREN: KustoFunction = KustoFunction::scalar(
    Signature::scalar("geo_h3cell_children", &[P::Str, P::Integer], R::Fixed(T::Dynamic)).optional_from(1),
    h3cell_children,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s, text};

    #[test]
    fn docs_examples() {
        // geo-h3cell-children-function-00, -01 (7^3 cells three levels down), -03 and -04.
        let udf = h3cell_children();
        assert_eq!(
            text(call_scalars(&udf, vec![s("862a1072fffffff")])),
            concat!(
                r#"["872a10728ffffff","872a10729ffffff","872a1072affffff","872a1072bffffff","#,
                r#""872a1072cffffff","872a1072dffffff","872a1072effffff"]"#
            )
        );
        let three_down = text(call_scalars(&udf, vec![s("862a1072fffffff"), long(9)]));
        let parsed: Vec<String> = serde_json::from_str(&three_down).expect("a JSON array");
        assert_eq!(parsed.len(), 343);
        assert_eq!(call_scalars(&udf, vec![s("abc")]), ScalarValue::Utf8(None));
        assert_eq!(
            call_scalars(&udf, vec![s("892a1072fffffff"), long(15)]),
            ScalarValue::Utf8(None)
        );
        assert_eq!(
            call_scalars(&udf, vec![s("862a1072fffffff"), long(5)]),
            ScalarValue::Utf8(None)
        );
    }
}
