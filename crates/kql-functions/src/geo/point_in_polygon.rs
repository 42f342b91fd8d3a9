//! `geo_point_in_polygon(longitude, latitude, polygon)`: whether a point is inside a Polygon or
//! MultiPolygon (GeoJSON) on the sphere; null for coordinates off the globe or an invalid polygon.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::per_point_and_shape;
use super::shape::Polygons;
use crate::declare::*;
use crate::string::kernel::{Param, Params, bool_rows, define};

/// `kql_geo_point_in_polygon(longitude: number, latitude: number, polygon: Utf8) -> Boolean`.
pub fn point_in_polygon() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_point_in_polygon",
            Params::fixed(&[Param::Any, Param::Any, Param::Str]),
            DataType::Boolean,
            |args| {
                let inside =
                    per_point_and_shape(args, Polygons::read, |p, polygons| Some(polygons.contains(p)))?;
                bool_rows(args, |row| Ok(inside[row]))
            },
        )
    )
}

pub(crate) static GEO_POINT_IN_POLYGON: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "geo_point_in_polygon",
        &[P::Num, P::Num, P::Dynamic],
        R::Fixed(T::Bool),
    ),
    point_in_polygon,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, real, s};

    const MANHATTAN_WITHOUT_CENTRAL_PARK: &str = r#"{"type":"Polygon","coordinates":[[[-73.92597198486328,40.87821814104651],[-73.94691467285156,40.85069618625578],[-73.94691467285156,40.841865966890786],[-74.01008605957031,40.7519385984599],[-74.01866912841797,40.704586878965245],[-74.01214599609375,40.699901911003046],[-73.99772644042969,40.70875101828792],[-73.97747039794922,40.71083299030839],[-73.97026062011719,40.7290474687069],[-73.97506713867186,40.734510840309376],[-73.970947265625,40.74543623770158],[-73.94210815429688,40.77586181063573],[-73.9434814453125,40.78080140115127],[-73.92974853515625,40.79691751000055],[-73.93077850341797,40.804454347291006],[-73.93489837646484,40.80965166748853],[-73.93524169921875,40.837190668541105],[-73.92288208007812,40.85770758108904],[-73.9101791381836,40.871728144624974],[-73.92597198486328,40.87821814104651]],[[-73.95824432373047,40.80071852197889],[-73.98206233978271,40.76815921628347],[-73.97309303283691,40.76422632379533],[-73.94914627075195,40.796949998204596],[-73.95824432373047,40.80071852197889]]]}"#;

    fn inside(longitude: f64, latitude: f64, polygon: &str) -> ScalarValue {
        call_scalars(
            &point_in_polygon(),
            vec![real(longitude), real(latitude), s(polygon)],
        )
    }

    #[test]
    fn docs_examples() {
        // geo-point-in-polygon-function-00: in the shell, in the hole, outside.
        let polygon = MANHATTAN_WITHOUT_CENTRAL_PARK;
        assert_eq!(
            inside(-73.985654, 40.748487, polygon),
            ScalarValue::Boolean(Some(true))
        );
        assert_eq!(
            inside(-73.963249, 40.779525, polygon),
            ScalarValue::Boolean(Some(false))
        );
        assert_eq!(
            inside(-73.874367, 40.777356, polygon),
            ScalarValue::Boolean(Some(false))
        );
        // -05 and -06: a longitude off the globe, a ring with a repeated vertex.
        let triangle = r#"{"type": "Polygon","coordinates": [[[0,0],[10,10],[10,1],[0,0]]]}"#;
        assert_eq!(inside(200.0, 1.0, triangle), ScalarValue::Boolean(None));
        let repeated = r#"{"type": "Polygon","coordinates": [[[0,0],[10,10],[10,10],[0,0]]]}"#;
        assert_eq!(inside(1.0, 1.0, repeated), ScalarValue::Boolean(None));
    }

    #[test]
    fn invalid_shapes_give_null() {
        for polygon in [
            "",
            "[]",
            r#"{"type":"Point","coordinates":[1,1]}"#,
            r#"{"type":"Polygon","coordinates":[]}"#,
            r#"{"type":"Polygon","coordinates":[[[0,0],[10,10],[10,1]]]}"#,
        ] {
            assert_eq!(inside(5.0, 3.0, polygon), ScalarValue::Boolean(None), "{polygon}");
        }
    }

    #[test]
    fn overlapping_or_over_nested_multipolygons_are_refused() {
        use datafusion::logical_expr::ColumnarValue;
        // geo-point-in-polygon-function-04 builds this shape with pack_array(polygon.coordinates).
        let over_nested = r#"{"type":"MultiPolygon","coordinates":[[[[[0,0],[10,0],[10,10],[0,0]]]]]}"#;
        let udf = point_in_polygon();
        let result = crate::string::kernel::testing::call(
            &udf,
            [real(5.0), real(1.0), s(over_nested)]
                .map(ColumnarValue::Scalar)
                .to_vec(),
        );
        assert!(result.is_err());
        let overlapping = r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[10,0],[10,10],[0,0]]],[[[1,0],[11,0],[11,10],[1,0]]]]}"#;
        let udf = point_in_polygon();
        let result = crate::string::kernel::testing::call(
            &udf,
            [real(5.0), real(1.0), s(overlapping)]
                .map(ColumnarValue::Scalar)
                .to_vec(),
        );
        assert!(result.is_err());
    }
}
