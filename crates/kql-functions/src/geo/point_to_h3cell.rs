//! `geo_point_to_h3cell(longitude, latitude, [resolution])`: the token of the H3 cell holding a point at
//! `resolution` (default 6); `""` for coordinates off the globe or a resolution outside 0..=15.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;
use h3o::LatLng;

use super::{PointToCell, h3cell, point_to_cell_udf};
use crate::declare::*;

/// `kql_geo_point_to_h3cell(longitude: number, latitude: number, [resolution: Int64]) -> Utf8`.
pub fn point_to_h3cell() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, point_to_cell_udf::<H3Cell>())
}

pub(crate) static GEO_POINT_TO_H3CELL: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "geo_point_to_h3cell",
        &[P::Num, P::Num, P::Integer],
        R::Fixed(T::String),
    )
    .optional_from(2),
    point_to_h3cell,
);

struct H3Cell;

impl PointToCell for H3Cell {
    const NAME: &'static str = "kql_geo_point_to_h3cell";
    const DEFAULT_PRECISION: i64 = 6;

    fn encode(longitude: f64, latitude: f64, resolution: i64) -> Option<String> {
        let resolution = h3cell::resolution(Some(resolution))?;
        Some(
            LatLng::new(latitude, longitude)
                .ok()?
                .to_cell(resolution)
                .to_string(),
        )
    }
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, real, text};

    #[test]
    fn docs_examples() {
        // geo-point-to-h3cell-function-00, -01 and the invalid inputs of -02 to -04.
        let udf = point_to_h3cell();
        let cell = |lng, lat, resolution| text(call_scalars(&udf, vec![real(lng), real(lat), resolution]));
        assert_eq!(
            cell(-74.04450446039874, 40.689250859314974, long(6)),
            "862a1072fffffff"
        );
        assert_eq!(cell(-73.956683, 40.807907, long(5)), "852a100bfffffff");
        assert_eq!(cell(-73.989148, 40.743273, long(5)), "852a1073fffffff");
        assert_eq!(cell(300.0, 1.0, long(8)), "");
        assert_eq!(cell(1.0, 1.0, long(16)), "");
        assert_eq!(cell(1.0, 1.0, ScalarValue::Int64(None)), "");
        assert_eq!(
            text(call_scalars(
                &udf,
                vec![real(-74.04450446039874), real(40.689250859314974)]
            )),
            "862a1072fffffff"
        );
    }
}
