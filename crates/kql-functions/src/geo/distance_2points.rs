//! `geo_distance_2points(p1_longitude, p1_latitude, p2_longitude, p2_latitude)`: the shortest distance in
//! metres between two points on the Earth (a sphere); null for coordinates off the globe. The optional
//! `use_spheroid` may be `false` (the default, the sphere); the spheroid is refused.

use std::sync::Arc;

use datafusion::common::Result;
use datafusion::logical_expr::{Expr, ScalarUDF};

use super::{TwoPoints, on_the_sphere, sphere, two_points_udf};
use crate::declare::*;
use crate::registry::ScalarCall;

/// `kql_geo_distance_2points(p1_longitude, p1_latitude, p2_longitude, p2_latitude: number) -> Float64`.
pub fn distance_2points() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, two_points_udf::<Distance>())
}

pub(crate) static GEO_DISTANCE_2POINTS: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar(
        "geo_distance_2points",
        &[P::Num, P::Num, P::Num, P::Num, P::Bool],
        R::Fixed(T::Real),
    )
    .optional_from(4),
    lower,
    &[distance_2points],
);

fn lower(call: ScalarCall) -> Result<Expr> {
    on_the_sphere("geo_distance_2points", call, 4, distance_2points())
}

struct Distance;

impl TwoPoints for Distance {
    const NAME: &'static str = "kql_geo_distance_2points";

    fn measure(from: (f64, f64), to: (f64, f64)) -> Result<Option<f64>> {
        Ok(Some(sphere::distance_meters(from, to)))
    }
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::geo::assert_close;
    use crate::string::kernel::testing::{call_scalars, long, real};

    #[test]
    fn docs_examples() {
        // The documentation's examples: Seattle to Los Angeles, and null for a longitude of 300.
        let udf = distance_2points();
        let seattle_to_la = [-122.407628, 47.578557, -118.275287, 34.019056]
            .map(real)
            .to_vec();
        match call_scalars(&udf, seattle_to_la) {
            ScalarValue::Float64(Some(meters)) => assert_close(meters, 1546754.35197381),
            other => panic!("expected a real, got {other:?}"),
        }
        assert_eq!(
            call_scalars(&udf, [300, 1, 1, 1].map(long).to_vec()),
            ScalarValue::Float64(None)
        );
    }
}
