//! `geo_h3cell_level(h3cell)`: the resolution of an H3 cell (0..=15) as an int; null for an invalid token.

use std::sync::Arc;

use datafusion::arrow::array::Int32Array;
use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::h3cell;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define};

/// `kql_geo_h3cell_level(h3cell: Utf8) -> Int32`.
pub fn h3cell_level() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_h3cell_level",
            Params::fixed(&[Param::Str]),
            DataType::Int32,
            |args| {
                let tokens = args.str(0)?;
                let levels: Int32Array = (0..args.rows())
                    .map(|row| {
                        h3cell::parse(tokens.get(row)).map(|cell| i32::from(u8::from(cell.resolution())))
                    })
                    .collect();
                args.finish(Arc::new(levels))
            },
        )
    )
}

pub(crate) static GEO_H3CELL_LEVEL: KustoFunction = KustoFunction::scalar(
    Signature::scalar("geo_h3cell_level", &[P::Str], R::Fixed(T::Int)),
    h3cell_level,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // The documentation's example cells: '862a1072fffffff' is level 6 (geo-h3cell-children-function-01
        // counts 7^3 children three levels below it).
        let udf = h3cell_level();
        assert_eq!(
            call_scalars(&udf, vec![s("862a1072fffffff")]),
            ScalarValue::Int32(Some(6))
        );
        assert_eq!(
            call_scalars(&udf, vec![s("852a100bfffffff")]),
            ScalarValue::Int32(Some(5))
        );
        assert_eq!(call_scalars(&udf, vec![s("abc")]), ScalarValue::Int32(None));
    }
}
