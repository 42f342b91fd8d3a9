//! `geo_closest_point_on_line(longitude, latitude, lineString)`: the point of a LineString or
//! MultiLineString (GeoJSON) closest to a point on the sphere, as a GeoJSON point; null for coordinates
//! off the globe or an invalid line.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::shape::{Line, closest, lines};
use super::{per_point_and_shape, sphere_point_json};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_geo_closest_point_on_line(longitude: number, latitude: number, lineString: Utf8) -> Utf8`
/// (dynamic).
pub fn closest_point_on_line() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_closest_point_on_line",
            Params::fixed(&[Param::Any, Param::Any, Param::Str]),
            DataType::Utf8,
            |args| {
                let mut points = per_point_and_shape(args, lines, |p, lines: &Vec<Line>| {
                    closest(p, lines.iter().flat_map(Line::edges)).map(|(_, on)| sphere_point_json(&on))
                })?;
                optional_string_rows(args, |row| Ok(points[row].take()))
            },
        )
    )
}

pub(crate) static GEO_CLOSEST_POINT_ON_LINE: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "geo_closest_point_on_line",
        &[P::Num, P::Num, P::Dynamic],
        R::Fixed(T::Dynamic),
    ),
    closest_point_on_line,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::geo::tests::assert_point;
    use crate::string::kernel::testing::{call_scalars, real, s};

    fn closest(longitude: f64, latitude: f64, line: &str) -> ScalarValue {
        call_scalars(
            &closest_point_on_line(),
            vec![real(longitude), real(latitude), s(line)],
        )
    }

    #[test]
    fn docs_examples() {
        // geo-closest-point-on-line-function-00, -01 and -02.
        let road = r#"{ "type":"LineString","coordinates":[[-115.115385,36.229195],[-115.136995,36.200366],[-115.140252,36.192470],[-115.143558,36.188523],[-115.144076,36.181954],[-115.154662,36.174483],[-115.166431,36.176388],[-115.183289,36.175007],[-115.192612,36.176736],[-115.202485,36.173439],[-115.225355,36.174365]]}"#;
        assert_point(closest(-115.199625, 36.210419, road), (-115.192612, 36.176736));
        assert_eq!(
            closest(1.0, 1.0, r#"{ "type":"LineString"}"#),
            ScalarValue::Utf8(None)
        );
        let line = r#"{ "type":"LineString","coordinates":[[1,1],[2,2]]}"#;
        assert_eq!(closest(300.0, 3.0, line), ScalarValue::Utf8(None));
    }

    #[test]
    fn the_closest_point_may_be_inside_an_edge_of_any_line() {
        let lines = r#"{"type":"MultiLineString","coordinates":[[[10,10],[11,10]],[[0,-1],[0,1]]]}"#;
        assert_point(closest(0.5, 0.0, lines), (0.0, 0.0));
    }
}
