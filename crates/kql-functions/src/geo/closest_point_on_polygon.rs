//! `geo_closest_point_on_polygon(longitude, latitude, polygon)`: the point of a Polygon or MultiPolygon
//! (GeoJSON) closest to a point on the sphere, the point itself when the polygon contains it, as a
//! GeoJSON point; null for coordinates off the globe or an invalid polygon.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::shape::{Polygons, closest};
use super::{per_point_and_shape, sphere_point_json};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_geo_closest_point_on_polygon(longitude: number, latitude: number, polygon: Utf8) -> Utf8`
/// (dynamic).
pub fn closest_point_on_polygon() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_closest_point_on_polygon",
            Params::fixed(&[Param::Any, Param::Any, Param::Str]),
            DataType::Utf8,
            |args| {
                let mut points = per_point_and_shape(args, Polygons::read, |p, polygons| {
                    if polygons.contains(p) {
                        return Some(sphere_point_json(p));
                    }
                    closest(p, polygons.edges()).map(|(_, on)| sphere_point_json(&on))
                })?;
                optional_string_rows(args, |row| Ok(points[row].take()))
            },
        )
    )
}

pub(crate) static GEO_CLOSEST_POINT_ON_POLYGON: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "geo_closest_point_on_polygon",
        &[P::Num, P::Num, P::Dynamic],
        R::Fixed(T::Dynamic),
    ),
    closest_point_on_polygon,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::geo::tests::{CENTRAL_PARK, assert_point};
    use crate::string::kernel::testing::{call_scalars, real, s};

    fn closest(longitude: f64, latitude: f64, polygon: &str) -> ScalarValue {
        call_scalars(
            &closest_point_on_polygon(),
            vec![real(longitude), real(latitude), s(polygon)],
        )
    }

    #[test]
    fn docs_examples() {
        // geo-closest-point-on-polygon-function-00, -01 and -02.
        assert_point(
            closest(-73.9839, 40.7705, CENTRAL_PARK),
            (-73.98120558015391, 40.76935945284321),
        );
        let triangle = r#"{"type": "Polygon","coordinates": [[[0,0],[10,10],[10,1],[0,0]]]}"#;
        assert_eq!(closest(500.0, 1.0, triangle), ScalarValue::Utf8(None));
        let repeated = r#"{"type": "Polygon","coordinates": [[[0,0],[10,10],[10,10],[0,0]]]}"#;
        assert_eq!(closest(1.0, 1.0, repeated), ScalarValue::Utf8(None));
    }

    #[test]
    fn a_point_inside_is_its_own_answer() {
        assert_point(closest(-73.965, 40.783, CENTRAL_PARK), (-73.965, 40.783));
    }
}
