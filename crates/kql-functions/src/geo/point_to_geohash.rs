//! `geo_point_to_geohash(longitude, latitude, [accuracy])`: the geohash of a point, `accuracy` (default
//! 5) characters long; `""` for coordinates off the globe or an accuracy outside 1..=18.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

use super::{PointToCell, geohash, point_to_cell_udf};
use crate::declare::*;

/// `kql_geo_point_to_geohash(longitude: number, latitude: number, [accuracy: Int64]) -> Utf8`.
pub fn point_to_geohash() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, point_to_cell_udf::<Geohash>())
}

pub(crate) static GEO_POINT_TO_GEOHASH: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "geo_point_to_geohash",
        &[P::Num, P::Num, P::Integer],
        R::Fixed(T::String),
    )
    .optional_from(2),
    point_to_geohash,
);

struct Geohash;

impl PointToCell for Geohash {
    const NAME: &'static str = "kql_geo_point_to_geohash";
    const DEFAULT_PRECISION: i64 = 5;

    fn encode(longitude: f64, latitude: f64, accuracy: i64) -> Option<String> {
        geohash::encode(longitude, latitude, usize::try_from(accuracy).ok()?)
    }
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, real, text};

    #[test]
    fn docs_examples() {
        // geo-geohash-to-polygon-function-01: these points fall in the cells whose polygons it shows.
        let udf = point_to_geohash();
        assert_eq!(
            text(call_scalars(
                &udf,
                vec![real(-73.975212), real(40.789608), long(5)]
            )),
            "dr72h"
        );
        assert_eq!(
            text(call_scalars(&udf, vec![real(-73.989148), real(40.743273)])),
            "dr5ru"
        );
        // The documented invalid inputs give an empty string.
        assert_eq!(
            text(call_scalars(&udf, vec![real(200.0), real(1.0), long(8)])),
            ""
        );
        assert_eq!(text(call_scalars(&udf, vec![real(1.0), real(1.0), long(19)])), "");
        assert_eq!(
            text(call_scalars(
                &udf,
                vec![long(1), long(1), ScalarValue::Int64(None)]
            )),
            ""
        );
    }
}
