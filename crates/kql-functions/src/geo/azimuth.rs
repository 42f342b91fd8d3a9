//! `geo_azimuth(p1_longitude, p1_latitude, p2_longitude, p2_latitude)`: the bearing in radians, clockwise
//! from north in [0, 2π), of the great-circle line from the first point to the second; null for
//! coordinates off the globe, identical or antipodal points. From a pole there is no north to measure
//! from, and the docs do not say what Kusto answers, so a first point at a pole is refused.

use std::sync::Arc;

use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;

use super::{TwoPoints, sphere, two_points_udf};
use crate::declare::*;

/// `kql_geo_azimuth(p1_longitude, p1_latitude, p2_longitude, p2_latitude: number) -> Float64`.
pub fn azimuth() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, two_points_udf::<Azimuth>())
}

pub(crate) static GEO_AZIMUTH: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "geo_azimuth",
        &[P::Num, P::Num, P::Num, P::Num],
        R::Fixed(T::Real),
    ),
    azimuth,
);

struct Azimuth;

impl TwoPoints for Azimuth {
    const NAME: &'static str = "kql_geo_azimuth";

    fn measure(from: (f64, f64), to: (f64, f64)) -> Result<Option<f64>> {
        let Some(azimuth) = sphere::azimuth(from, to) else {
            return Ok(None);
        };
        if from.1.abs() == 90.0 {
            return exec_err!(
                "not supported yet: geo_azimuth from a pole ({}, {}): there is no north there, and the \
                 docs do not say what Kusto answers",
                from.0,
                from.1
            );
        }
        Ok(Some(azimuth))
    }
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::geo::assert_close;
    use crate::string::kernel::testing::{call_scalars, long};

    #[test]
    fn docs_examples() {
        // geo-azimuth-function-00 and -03; coordinates off the globe give null.
        let udf = azimuth();
        let call = |values: [i64; 4]| call_scalars(&udf, values.map(long).to_vec());
        match call([5, 10, 10, -40]) {
            ScalarValue::Float64(Some(radians)) => assert_close(radians, 3.054599397964492),
            other => panic!("expected a real, got {other:?}"),
        }
        assert_eq!(call([5, 10, 5, 10]), ScalarValue::Float64(None));
        assert_eq!(call([300, 10, 5, 10]), ScalarValue::Float64(None));
    }
}
