//! `geo_point_to_s2cell(longitude, latitude, [level])`: the token of the S2 cell holding a point at
//! `level` (default 11); `""` for coordinates off the globe or a level outside 0..=30.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;
use s2::cellid::{CellID, MAX_LEVEL};
use s2::latlng::LatLng;

use super::{PointToCell, point_to_cell_udf};
use crate::declare::*;

/// `kql_geo_point_to_s2cell(longitude: number, latitude: number, [level: Int64]) -> Utf8`.
pub fn point_to_s2cell() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, point_to_cell_udf::<S2Cell>())
}

pub(crate) static GEO_POINT_TO_S2CELL: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "geo_point_to_s2cell",
        &[P::Num, P::Num, P::Integer],
        R::Fixed(T::String),
    )
    .optional_from(2),
    point_to_s2cell,
);

struct S2Cell;

impl PointToCell for S2Cell {
    const NAME: &'static str = "kql_geo_point_to_s2cell";
    const DEFAULT_PRECISION: i64 = 11;

    fn encode(longitude: f64, latitude: f64, level: i64) -> Option<String> {
        let level = u64::try_from(level).ok().filter(|&level| level <= MAX_LEVEL)?;
        let leaf = CellID::from(LatLng::from_degrees(latitude, longitude));
        Some(leaf.parent(level).to_token())
    }
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, real, text};

    #[test]
    fn docs_examples() {
        // geo-s2cell-to-central-point-function-00: the centre of the level-12 cell "1234567" lies in it.
        let udf = point_to_s2cell();
        let cell = |lng, lat, level| text(call_scalars(&udf, vec![real(lng), real(lat), level]));
        assert_eq!(cell(9.86830731850408, 27.468392925827605, long(12)), "1234567");
        // Invalid coordinates or levels give an empty string.
        assert_eq!(cell(300.0, 1.0, long(8)), "");
        assert_eq!(cell(1.0, 1.0, long(31)), "");
        assert_eq!(cell(1.0, 1.0, ScalarValue::Int64(None)), "");
        // Level 11 by default: its parent, which keeps one fewer bit pair ("...7" becomes "...4").
        let default_level = call_scalars(&udf, vec![real(9.86830731850408), real(27.468392925827605)]);
        assert_eq!(text(default_level), "1234564");
    }
}
