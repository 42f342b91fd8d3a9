//! `geo_point_to_geohash(longitude, latitude, [accuracy])`: the geohash of a point, `accuracy` (default
//! 5) characters long; `""` for coordinates off the globe or an accuracy outside 1..=18.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::{Points, geohash};
use crate::string::kernel::{Param, Params, define, string_rows};

const DEFAULT_ACCURACY: usize = 5;

/// `kql_geo_point_to_geohash(longitude: number, latitude: number, [accuracy: Int64]) -> Utf8`.
pub fn point_to_geohash() -> Arc<ScalarUDF> {
    define(
        "kql_geo_point_to_geohash",
        Params::optional(&[Param::Any, Param::Any], &[Param::Long]),
        DataType::Utf8,
        |args| {
            let points = Points::read(args, 0)?;
            let accuracy = if args.has(2) { Some(args.long(2)?) } else { None };
            string_rows(args, |row, out| {
                let length = match &accuracy {
                    Some(column) => column.get(row).and_then(|length| usize::try_from(length).ok()),
                    None => Some(DEFAULT_ACCURACY),
                };
                if let Some(hash) = points
                    .get(row)
                    .zip(length)
                    .and_then(|((longitude, latitude), length)| geohash::encode(longitude, latitude, length))
                {
                    out.push_str(&hash);
                }
                Ok(())
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, text};

    fn real(value: f64) -> ScalarValue {
        ScalarValue::Float64(Some(value))
    }

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
