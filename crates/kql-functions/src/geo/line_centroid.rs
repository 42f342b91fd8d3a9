//! `geo_line_centroid(lineString)`: the centroid of a LineString or MultiLineString (GeoJSON) on the
//! sphere (S2's: each edge weighted by its length), as a GeoJSON point; null for an invalid line.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use s2::point::Point;
use s2::r3::vector::Vector;

use super::shape::lines;
use super::{per_shape, sphere_point_json};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_geo_line_centroid(lineString: Utf8) -> Utf8` (dynamic).
pub fn line_centroid() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_line_centroid",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let mut centroids = per_shape(args, 0, lines, |lines, _| {
                    let sum = lines
                        .iter()
                        .flat_map(|line| line.edges())
                        .fold(Vector::new(0.0, 0.0, 0.0), |sum, (a, b)| {
                            sum + edge_centroid(a, b)
                        });
                    Ok(Some(sphere_point_json(&Point(sum))))
                })?;
                optional_string_rows(args, |row| Ok(centroids[row].take()))
            },
        )
    )
}

/// The centroid of an edge times its length, as S2's `TrueCentroid(a, b)`: a vector towards the
/// edge's midpoint whose length is twice the sine of half the edge's angle.
fn edge_centroid(a: &Point, b: &Point) -> Vector {
    let sum = a.0 + b.0;
    let (sin2, cos2) = ((a.0 - b.0).norm2(), sum.norm2());
    if cos2 == 0.0 {
        return Vector::new(0.0, 0.0, 0.0);
    }
    sum * (sin2 / cos2).sqrt()
}

pub(crate) static GEO_LINE_CENTROID: KustoFunction = KustoFunction::scalar(
    Signature::scalar("geo_line_centroid", &[P::Dynamic], R::Fixed(T::Dynamic)),
    line_centroid,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::geo::tests::assert_point;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // geo-line-centroid-function-00, -02 and -03.
        let udf = line_centroid();
        let line = r#"{"type":"LineString","coordinates":[[-73.95796, 40.80042], [-73.97317, 40.764486]]}"#;
        assert_point(
            call_scalars(&udf, vec![s(line)]),
            (-73.96556705723094, 40.782453249627416),
        );
        let lines = r#"{"type":"MultiLineString","coordinates":[[[-73.95798683166502,40.800556090021466],[-73.98193359375,40.76819171855746]],[[-73.94940376281738,40.79691751000055],[-73.97317886352539,40.76435634049001]]]}"#;
        assert_point(
            call_scalars(&udf, vec![s(lines)]),
            (-73.96562218400669, 40.78250336313828),
        );
        let one_point = r#"{"type":"LineString","coordinates":[[1, 1]]}"#;
        assert_eq!(call_scalars(&udf, vec![s(one_point)]), ScalarValue::Utf8(None));
    }
}
