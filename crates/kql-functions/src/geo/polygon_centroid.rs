//! `geo_polygon_centroid(polygon)`: the centroid of a Polygon or MultiPolygon (GeoJSON) on the sphere
//! (S2's true centroid: the centre of mass of the surface, projected onto the sphere) as a GeoJSON
//! point; null for an invalid polygon.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use s2::point::Point;

use super::shape::Polygons;
use super::{per_shape, sphere_point_json};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_geo_polygon_centroid(polygon: Utf8) -> Utf8` (dynamic).
pub fn polygon_centroid() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_polygon_centroid",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let mut centroids = per_shape(args, 0, Polygons::read, |polygons, _| {
                    Ok(Some(sphere_point_json(&Point(polygons.centroid()))))
                })?;
                optional_string_rows(args, |row| Ok(centroids[row].take()))
            },
        )
    )
}

pub(crate) static GEO_POLYGON_CENTROID: KustoFunction = KustoFunction::scalar(
    Signature::scalar("geo_polygon_centroid", &[P::Dynamic], R::Fixed(T::Dynamic)),
    polygon_centroid,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::geo::tests::{CENTRAL_PARK, assert_point};
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // geo-polygon-centroid-function-00 and -04.
        let udf = polygon_centroid();
        assert_point(
            call_scalars(&udf, vec![s(CENTRAL_PARK)]),
            (-73.96573568990762, 40.78255053805781),
        );
        let repeated = r#"{"type": "Polygon","coordinates": [[[0,0],[10,10],[10,10],[0,0]]]}"#;
        assert_eq!(call_scalars(&udf, vec![s(repeated)]), ScalarValue::Utf8(None));
    }

    #[test]
    fn a_symmetric_polygon_is_centred() {
        let square = r#"{"type":"Polygon","coordinates":[[[-1,-1],[1,-1],[1,1],[-1,1],[-1,-1]]]}"#;
        assert_point(call_scalars(&polygon_centroid(), vec![s(square)]), (0.0, 0.0));
    }
}
