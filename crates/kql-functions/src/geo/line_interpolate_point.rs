//! `geo_line_interpolate_point(lineString, fraction)`: the point at `fraction` (0 the start, 1 the end)
//! of a LineString's length on the sphere, as a GeoJSON point (S2's `S2Polyline::Interpolate`); null
//! for an invalid line or a fraction outside [0, 1]. A MultiLineString is refused: the docs say the
//! input should hold a single line and leave its meaning open.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, Float64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::logical_expr::ScalarUDF;
use s2::edgeutil::interpolate_at_distance;
use s2::s1::angle::{Angle, Rad};

use super::shape::{angle, single_line};
use super::{per_shape, sphere_point_json};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_geo_line_interpolate_point(lineString: Utf8, fraction: number) -> Utf8` (dynamic).
pub fn line_interpolate_point() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_line_interpolate_point",
            Params::fixed(&[Param::Str, Param::Any]),
            DataType::Utf8,
            |args| {
                let fractions = cast(&args.any(1)?, &DataType::Float64)?;
                let fractions: &Float64Array = fractions.as_primitive::<Float64Type>();
                let mut points = per_shape(args, 0, single_line, |line, row| {
                    let fraction = (fractions.is_valid(row))
                        .then(|| fractions.value(row))
                        .filter(|f| (0.0..=1.0).contains(f));
                    let Some(fraction) = fraction else {
                        return Ok(None);
                    };
                    // S2Polyline::GetSuffix: walk the edges until the target length falls in one.
                    let mut target = fraction * line.length();
                    let mut at = *line.vertices.last().expect("a line has two vertices");
                    if fraction == 0.0 {
                        at = line.vertices[0];
                    } else {
                        for (a, b) in line.edges() {
                            let length = angle(a, b);
                            if target < length {
                                at = interpolate_at_distance(&Angle::from(Rad(target)), a, b);
                                break;
                            }
                            target -= length;
                        }
                    }
                    Ok(Some(sphere_point_json(&at)))
                })?;
                optional_string_rows(args, |row| Ok(points[row].take()))
            },
        )
    )
}

pub(crate) static GEO_LINE_INTERPOLATE_POINT: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "geo_line_interpolate_point",
        &[P::Dynamic, P::Num],
        R::Fixed(T::Dynamic),
    ),
    line_interpolate_point,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::geo::tests::assert_point;
    use crate::string::kernel::testing::{call_scalars, real, s};

    const PARK_PATH: &str = r#"{"type":"LineString","coordinates":[[-73.95807266235352,40.800426144169315],[-73.94966125488281,40.79691751000055],[-73.97317886352539,40.764486356930334],[-73.98210525512695,40.76786669510221],[-73.96004676818848,40.7980870753293]]}"#;

    fn at(line: &str, fraction: f64) -> ScalarValue {
        call_scalars(&line_interpolate_point(), vec![s(line), real(fraction)])
    }

    #[test]
    fn docs_examples() {
        // geo-line-interpolate-point-function-00, -02 and -03.
        let line = r#"{"type":"LineString","coordinates":[[-73.95796, 40.80042], [-73.97317, 40.764486]]}"#;
        assert_point(at(line, 0.25), (-73.96176404321828, 40.79143668725723));
        assert_point(at(PARK_PATH, 0.9), (-73.96556545832799, 40.79052937973534));
        let one_point = r#"{"type":"LineString","coordinates":[[1, 1]]}"#;
        assert_eq!(at(one_point, 0.5), ScalarValue::Utf8(None));
    }

    #[test]
    fn ends_and_fractions_out_of_range() {
        assert_point(at(PARK_PATH, 0.0), (-73.95807266235352, 40.800426144169315));
        assert_point(at(PARK_PATH, 1.0), (-73.96004676818848, 40.7980870753293));
        assert_eq!(at(PARK_PATH, -0.1), ScalarValue::Utf8(None));
        assert_eq!(at(PARK_PATH, 1.1), ScalarValue::Utf8(None));
    }
}
