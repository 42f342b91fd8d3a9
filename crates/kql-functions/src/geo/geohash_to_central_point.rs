//! `geo_geohash_to_central_point(geohash)`: the centre of a geohash cell as a GeoJSON point; null for an
//! invalid geohash.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::{geohash, point_json};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_geo_geohash_to_central_point(geohash: Utf8) -> Utf8` (dynamic).
pub fn geohash_to_central_point() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_geohash_to_central_point",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let hashes = args.str(0)?;
                optional_string_rows(args, |row| {
                    Ok(geohash::decode(hashes.get(row)).map(|cell| {
                        let (longitude, latitude) = cell.center();
                        point_json(longitude, latitude)
                    }))
                })
            },
        )
    )
}

pub(crate) static GEO_GEOHASH_TO_CENTRAL_POINT: KustoFunction = KustoFunction::scalar(
    Signature::scalar("geo_geohash_to_central_point", &[P::Str], R::Fixed(T::Dynamic)),
    geohash_to_central_point,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s, text};

    #[test]
    fn docs_examples() {
        // geo-geohash-to-central-point-function-00 and -01.
        let udf = geohash_to_central_point();
        assert_eq!(
            text(call_scalars(&udf, vec![s("sunny")])),
            r#"{"type":"Point","coordinates":[42.47314453125,23.70849609375]}"#
        );
        assert_eq!(call_scalars(&udf, vec![s("a")]), ScalarValue::Utf8(None));
    }
}
