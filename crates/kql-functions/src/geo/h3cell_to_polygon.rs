//! `geo_h3cell_to_polygon(h3cell)`: an H3 cell's boundary as a GeoJSON polygon (a closed ring); null for
//! an invalid token.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::{h3cell, polygon_json};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_geo_h3cell_to_polygon(h3cell: Utf8) -> Utf8` (dynamic).
pub fn h3cell_to_polygon() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_h3cell_to_polygon",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let tokens = args.str(0)?;
                optional_string_rows(args, |row| {
                    Ok(h3cell::parse(tokens.get(row)).map(|cell| {
                        let boundary = cell.boundary();
                        let vertices: Vec<(f64, f64)> = boundary.iter().map(|v| (v.lng(), v.lat())).collect();
                        polygon_json(vertices.iter().chain(vertices.first()).copied())
                    }))
                })
            },
        )
    )
}

pub(crate) static GEO_H3CELL_TO_POLYGON: KustoFunction = KustoFunction::scalar(
    Signature::scalar("geo_h3cell_to_polygon", &[P::Str], R::Fixed(T::Dynamic)),
    h3cell_to_polygon,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;
    use serde_json::Value;

    use super::*;
    use crate::geo::assert_close;
    use crate::string::kernel::testing::{call_scalars, s, text};

    #[test]
    fn docs_examples() {
        // geo-h3cell-neighbors-function-02 draws the cell '862a1072fffffff' with this ring.
        let expected = [
            [-74.0022744646159, 40.73537602621501],
            [-74.04690802968624, 40.72798622248911],
            [-74.06061071222366, 40.69677514034901],
            [-74.02972440815668, 40.672970047595456],
            [-73.98514098370819, 40.680349049267576],
            [-73.97139376102862, 40.71154393543933],
            [-74.0022744646159, 40.73537602621501],
        ];
        let udf = h3cell_to_polygon();
        let polygon: Value =
            serde_json::from_str(&text(call_scalars(&udf, vec![s("862a1072fffffff")]))).expect("JSON");
        assert_eq!(polygon["type"], "Polygon");
        let ring: Vec<[f64; 2]> = serde_json::from_value(polygon["coordinates"][0].clone()).expect("a ring");
        assert_eq!(ring.len(), expected.len());
        for (vertex, expected) in ring.iter().zip(expected) {
            assert_close(vertex[0], expected[0]);
            assert_close(vertex[1], expected[1]);
        }
        assert_eq!(call_scalars(&udf, vec![s("abc")]), ScalarValue::Utf8(None));
    }
}
