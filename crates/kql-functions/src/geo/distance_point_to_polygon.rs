//! `geo_distance_point_to_polygon(longitude, latitude, polygon)`: the shortest distance in metres from a
//! point to a Polygon or MultiPolygon (GeoJSON) on the sphere, 0 inside it; null for coordinates off the
//! globe or an invalid polygon.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::per_point_and_shape;
use super::shape::{Polygons, angle, closest};
use super::sphere::EARTH_RADIUS_METERS;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, double_rows};

/// `kql_geo_distance_point_to_polygon(longitude: number, latitude: number, polygon: Utf8) -> Float64`.
pub fn distance_point_to_polygon() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_distance_point_to_polygon",
            Params::fixed(&[Param::Any, Param::Any, Param::Str]),
            DataType::Float64,
            |args| {
                let distances = per_point_and_shape(args, Polygons::read, |p, polygons| {
                    if polygons.contains(p) {
                        return Some(0.0);
                    }
                    closest(p, polygons.edges()).map(|(_, on)| angle(p, &on) * EARTH_RADIUS_METERS)
                })?;
                double_rows(args, |row| Ok(distances[row]))
            },
        )
    )
}

pub(crate) static GEO_DISTANCE_POINT_TO_POLYGON: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "geo_distance_point_to_polygon",
        &[P::Num, P::Num, P::Dynamic],
        R::Fixed(T::Real),
    ),
    distance_point_to_polygon,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::geo::assert_close;
    use crate::geo::tests::CENTRAL_PARK;
    use crate::string::kernel::testing::{call_scalars, real, s};

    fn distance(longitude: f64, latitude: f64, polygon: &str) -> ScalarValue {
        call_scalars(
            &distance_point_to_polygon(),
            vec![real(longitude), real(latitude), s(polygon)],
        )
    }

    #[test]
    fn docs_examples() {
        // geo-distance-point-to-polygon-function-00, -03 and -04.
        match distance(-73.9839, 40.7705, CENTRAL_PARK) {
            ScalarValue::Float64(Some(meters)) => assert_close(meters, 259.9407560705964),
            other => panic!("expected a real, got {other:?}"),
        }
        let triangle = r#"{"type": "Polygon","coordinates": [[[0,0],[10,10],[10,1],[0,0]]]}"#;
        assert_eq!(distance(500.0, 1.0, triangle), ScalarValue::Float64(None));
        let repeated = r#"{"type": "Polygon","coordinates": [[[0,0],[10,10],[10,10],[0,0]]]}"#;
        assert_eq!(distance(1.0, 1.0, repeated), ScalarValue::Float64(None));
    }

    #[test]
    fn inside_is_zero() {
        assert_eq!(
            distance(-73.965, 40.783, CENTRAL_PARK),
            ScalarValue::Float64(Some(0.0))
        );
    }
}
