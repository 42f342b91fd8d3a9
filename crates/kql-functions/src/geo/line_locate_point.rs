//! `geo_line_locate_point(lineString, longitude, latitude)`: the fraction of a LineString's length on
//! the sphere from its start to the point of the line closest to a point (S2's `S2Polyline::Project`
//! and `UnInterpolate`); null for an invalid line or coordinates off the globe. The optional
//! `use_spheroid` may be `false` (the default, the sphere); the spheroid is refused, as is a
//! MultiLineString.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{Expr, ScalarUDF};

use super::shape::{angle, closest, single_line};
use super::{Points, on_the_sphere, per_shape};
use crate::declare::*;
use crate::registry::ScalarCall;
use crate::string::kernel::{Param, Params, define, double_rows};

/// `kql_geo_line_locate_point(lineString: Utf8, longitude: number, latitude: number) -> Float64`.
pub fn line_locate_point() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_line_locate_point",
            Params::fixed(&[Param::Str, Param::Any, Param::Any]),
            DataType::Float64,
            |args| {
                let points = Points::read(args, 1)?;
                let fractions = per_shape(args, 0, single_line, |line, row| {
                    let Some((longitude, latitude)) = points.get(row) else {
                        return Ok(None);
                    };
                    let p = super::shape::point(longitude, latitude);
                    let Some((edge, on)) = closest(&p, line.edges()) else {
                        return Ok(None);
                    };
                    let before: f64 = line.edges().take(edge).map(|(a, b)| angle(a, b)).sum();
                    let to_point = before + angle(&line.vertices[edge], &on);
                    Ok(Some((to_point / line.length()).min(1.0)))
                })?;
                double_rows(args, |row| Ok(fractions[row]))
            },
        )
    )
}

pub(crate) static GEO_LINE_LOCATE_POINT: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar(
        "geo_line_locate_point",
        &[P::Dynamic, P::Num, P::Num, P::Bool],
        R::Fixed(T::Real),
    )
    .optional_from(3),
    lower,
    &[line_locate_point],
);

fn lower(call: ScalarCall) -> Result<Expr> {
    on_the_sphere("geo_line_locate_point", call, 3, line_locate_point())
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::geo::assert_close;
    use crate::string::kernel::testing::{call_scalars, long, real, s};

    #[test]
    fn docs_examples() {
        // geo-line-locate-point-function-00 and -01.
        let udf = line_locate_point();
        let line = r#"{"type":"LineString","coordinates":[[-73.95796, 40.80042], [-73.97317, 40.764486]]}"#;
        match call_scalars(&udf, vec![s(line), real(-73.965), real(40.792)]) {
            ScalarValue::Float64(Some(fraction)) => assert_close(fraction, 0.2556013510030755),
            other => panic!("expected a real, got {other:?}"),
        }
        let one_point = r#"{"type":"LineString","coordinates":[[1, 1]]}"#;
        assert_eq!(
            call_scalars(&udf, vec![s(one_point), long(1), long(1)]),
            ScalarValue::Float64(None)
        );
    }

    #[test]
    fn points_beyond_the_ends_locate_at_the_ends() {
        let udf = line_locate_point();
        let line = r#"{"type":"LineString","coordinates":[[0,0],[1,0],[2,0]]}"#;
        let fraction = |longitude: f64| call_scalars(&udf, vec![s(line), real(longitude), real(0.5)]);
        assert_eq!(fraction(-1.0), ScalarValue::Float64(Some(0.0)));
        assert_eq!(fraction(3.0), ScalarValue::Float64(Some(1.0)));
        assert_eq!(fraction(200.0), ScalarValue::Float64(None));
    }
}
