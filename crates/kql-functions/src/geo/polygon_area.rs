//! `geo_polygon_area(polygon)`: the area in square metres of a Polygon or MultiPolygon (GeoJSON) on the
//! sphere; null for an invalid polygon.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::per_shape;
use super::shape::Polygons;
use super::sphere::EARTH_RADIUS_METERS;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, double_rows};

/// `kql_geo_polygon_area(polygon: Utf8) -> Float64`.
pub fn polygon_area() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_polygon_area",
            Params::fixed(&[Param::Str]),
            DataType::Float64,
            |args| {
                let areas = per_shape(args, 0, Polygons::read, |polygons, _| {
                    Ok(Some(polygons.area() * EARTH_RADIUS_METERS * EARTH_RADIUS_METERS))
                })?;
                double_rows(args, |row| Ok(areas[row]))
            },
        )
    )
}

pub(crate) static GEO_POLYGON_AREA: KustoFunction = KustoFunction::scalar(
    Signature::scalar("geo_polygon_area", &[P::Dynamic], R::Fixed(T::Real)),
    polygon_area,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::geo::assert_close;
    use crate::geo::tests::CENTRAL_PARK;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // geo-polygon-area-function-00 and -03.
        let udf = polygon_area();
        match call_scalars(&udf, vec![s(CENTRAL_PARK)]) {
            ScalarValue::Float64(Some(area)) => assert_close(area, 3475207.28346606),
            other => panic!("expected a real, got {other:?}"),
        }
        let repeated = r#"{"type": "Polygon","coordinates": [[[0,0],[10,10],[10,10],[0,0]]]}"#;
        assert_eq!(call_scalars(&udf, vec![s(repeated)]), ScalarValue::Float64(None));
    }

    #[test]
    fn a_hole_is_subtracted_and_orientation_does_not_matter() {
        let udf = polygon_area();
        let area = |text: &str| match call_scalars(&udf, vec![s(text)]) {
            ScalarValue::Float64(Some(area)) => area,
            other => panic!("expected a real, got {other:?}"),
        };
        let square = area(r#"{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,2],[0,0]]]}"#);
        let clockwise = area(r#"{"type":"Polygon","coordinates":[[[0,0],[0,2],[2,2],[2,0],[0,0]]]}"#);
        assert_close(clockwise, square);
        let hole = area(r#"{"type":"Polygon","coordinates":[[[0.5,0.5],[1,0.5],[1,1],[0.5,1],[0.5,0.5]]]}"#);
        let with_hole = area(
            r#"{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,2],[0,0]],[[0.5,0.5],[0.5,1],[1,1],[1,0.5],[0.5,0.5]]]}"#,
        );
        assert_close(with_hole, square - hole);
        // Two degrees by two at the equator: about 222 km by 222 km.
        assert!((4.9e10..5.0e10).contains(&square), "{square}");
    }
}
