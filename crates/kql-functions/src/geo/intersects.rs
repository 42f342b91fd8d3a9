//! `geo_intersects_2lines(lineString1, lineString2)` and `geo_intersects_line_with_polygon(lineString,
//! polygon)`: whether two lines (LineString or MultiLineString, GeoJSON) share a point, or a line and a
//! Polygon or MultiPolygon do; null when either shape is invalid. Edges share a point when they cross
//! or share a vertex; a line meets a polygon when an edge meets a ring edge or a vertex is inside.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::per_two_shapes;
use super::shape::{Line, Polygons, edges_touch, lines};
use crate::declare::*;
use crate::string::kernel::{Param, Params, bool_rows, define};

/// `kql_geo_intersects_2lines(lineString1: Utf8, lineString2: Utf8) -> Boolean`.
pub fn intersects_2lines() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_intersects_2lines",
            Params::fixed(&[Param::Str, Param::Str]),
            DataType::Boolean,
            |args| {
                let meets = per_two_shapes(args, lines, lines, |first, second| {
                    Some(edges(first).any(|a| edges(second).any(|b| edges_touch(a, b))))
                })?;
                bool_rows(args, |row| Ok(meets[row]))
            },
        )
    )
}

/// `kql_geo_intersects_line_with_polygon(lineString: Utf8, polygon: Utf8) -> Boolean`.
pub fn intersects_line_with_polygon() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_intersects_line_with_polygon",
            Params::fixed(&[Param::Str, Param::Str]),
            DataType::Boolean,
            |args| {
                let meets = per_two_shapes(args, lines, Polygons::read, |lines, polygons| {
                    let inside = lines
                        .iter()
                        .flat_map(|line| &line.vertices)
                        .any(|v| polygons.contains(v));
                    Some(inside || edges(lines).any(|a| polygons.edges().any(|b| edges_touch(a, b))))
                })?;
                bool_rows(args, |row| Ok(meets[row]))
            },
        )
    )
}

/// Every edge of every line.
fn edges(lines: &[Line]) -> impl Iterator<Item = (&s2::point::Point, &s2::point::Point)> {
    lines.iter().flat_map(Line::edges)
}

pub(crate) static GEO_INTERSECTS_2LINES: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "geo_intersects_2lines",
        &[P::Dynamic, P::Dynamic],
        R::Fixed(T::Bool),
    ),
    intersects_2lines,
);

pub(crate) static GEO_INTERSECTS_LINE_WITH_POLYGON: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "geo_intersects_line_with_polygon",
        &[P::Dynamic, P::Dynamic],
        R::Fixed(T::Bool),
    ),
    intersects_line_with_polygon,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    fn two_lines(a: &str, b: &str) -> ScalarValue {
        call_scalars(&intersects_2lines(), vec![s(a), s(b)])
    }

    fn line_with_polygon(a: &str, b: &str) -> ScalarValue {
        call_scalars(&intersects_line_with_polygon(), vec![s(a), s(b)])
    }

    #[test]
    fn docs_examples() {
        // geo-intersects-line-with-polygon-function-00: the line crosses the triangle's edge.
        let line = r#"{"type":"LineString","coordinates":[[-73.985195,40.788275],[-73.974552,40.779761]]}"#;
        let triangle = r#"{"type":"Polygon","coordinates":[[[-73.9712905883789,40.78580561168767],[-73.98004531860352,40.775276834803655],[-73.97000312805176,40.77852663535664],[-73.9712905883789,40.78580561168767]]]}"#;
        assert_eq!(
            line_with_polygon(line, triangle),
            ScalarValue::Boolean(Some(true))
        );
        // -03 and -04: a one-point line, a polygon where a line goes.
        let one_point = r#"{"type":"LineString","coordinates":[[-73.985195,40.788275]]}"#;
        assert_eq!(two_lines(one_point, line), ScalarValue::Boolean(None));
        let no_rings = r#"{"type":"Polygon","coordinates":[]}"#;
        assert_eq!(two_lines(line, no_rings), ScalarValue::Boolean(None));
    }

    #[test]
    fn crossing_touching_and_apart() {
        let horizontal = r#"{"type":"LineString","coordinates":[[0,0],[2,0]]}"#;
        let crossing = r#"{"type":"LineString","coordinates":[[1,-1],[1,1]]}"#;
        let touching = r#"{"type":"LineString","coordinates":[[2,0],[3,1]]}"#;
        let apart = r#"{"type":"MultiLineString","coordinates":[[[5,5],[6,6]],[[0,1],[2,1]]]}"#;
        assert_eq!(two_lines(horizontal, crossing), ScalarValue::Boolean(Some(true)));
        assert_eq!(two_lines(horizontal, touching), ScalarValue::Boolean(Some(true)));
        assert_eq!(two_lines(horizontal, apart), ScalarValue::Boolean(Some(false)));
        // A line wholly inside a polygon meets it; one outside does not.
        let square = r#"{"type":"Polygon","coordinates":[[[-5,-5],[5,-5],[5,5],[-5,5],[-5,-5]]]}"#;
        assert_eq!(
            line_with_polygon(horizontal, square),
            ScalarValue::Boolean(Some(true))
        );
        let far = r#"{"type":"LineString","coordinates":[[20,20],[21,21]]}"#;
        assert_eq!(line_with_polygon(far, square), ScalarValue::Boolean(Some(false)));
    }
}
