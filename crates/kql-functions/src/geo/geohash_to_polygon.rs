//! `geo_geohash_to_polygon(geohash)`: a geohash cell as a GeoJSON polygon; null for an invalid geohash.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::{geohash, polygon_json};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_geo_geohash_to_polygon(geohash: Utf8) -> Utf8` (dynamic).
pub fn geohash_to_polygon() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_geohash_to_polygon",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let hashes = args.str(0)?;
                optional_string_rows(args, |row| {
                    Ok(geohash::decode(hashes.get(row)).map(|cell| polygon_json(cell.ring())))
                })
            },
        )
    )
}

pub(crate) static GEO_GEOHASH_TO_POLYGON: KustoFunction = KustoFunction::scalar(
    Signature::scalar("geo_geohash_to_polygon", &[P::Str], R::Fixed(T::Dynamic)),
    geohash_to_polygon,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s, text};

    #[test]
    fn docs_examples() {
        // geo-geohash-to-polygon-function-00 and -02.
        let udf = geohash_to_polygon();
        assert_eq!(
            text(call_scalars(&udf, vec![s("dr5ru")])),
            concat!(
                r#"{"type":"Polygon","coordinates":[[[-74.00390625,40.7373046875],"#,
                r#"[-73.9599609375,40.7373046875],[-73.9599609375,40.78125],"#,
                r#"[-74.00390625,40.78125],[-74.00390625,40.7373046875]]]}"#
            )
        );
        assert_eq!(call_scalars(&udf, vec![s("a")]), ScalarValue::Utf8(None));
    }
}
