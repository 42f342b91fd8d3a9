//! `geo_distance_2points(p1_longitude, p1_latitude, p2_longitude, p2_latitude)`: the shortest distance in
//! metres between two points on the Earth (a sphere); null for coordinates off the globe. The optional
//! `use_spheroid` argument is not supported, so calls with it are refused by the binder.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::{TwoPoints, sphere, two_points_udf};
use crate::declare::*;

/// `kql_geo_distance_2points(p1_longitude, p1_latitude, p2_longitude, p2_latitude: number) -> Float64`.
pub fn distance_2points() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, two_points_udf::<Distance>())
}

pub(crate) static GEO_DISTANCE_2POINTS: KustoFunction = KustoFunction::scalar(
    // Kusto's optional `use_spheroid` is not supported, so a fifth argument is refused.
    Signature::scalar(
        "geo_distance_2points",
        &[P::Num, P::Num, P::Num, P::Num],
        R::Fixed(T::Real),
    ),
    distance_2points,
);

struct Distance;

impl TwoPoints for Distance {
    const NAME: &'static str = "kql_geo_distance_2points";

    fn measure(from: (f64, f64), to: (f64, f64)) -> Option<f64> {
        Some(sphere::distance_meters(from, to))
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
