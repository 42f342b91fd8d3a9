//! `geo_geohash_neighbors(geohash)`: the geohashes of the cells around a geohash cell, as a dynamic
//! array; null for an invalid geohash.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::{geohash, string_array_json};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_geo_geohash_neighbors(geohash: Utf8) -> Utf8` (dynamic).
pub fn geohash_neighbors() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_geohash_neighbors",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let hashes = args.str(0)?;
                optional_string_rows(args, |row| {
                    Ok(geohash::neighbors(hashes.get(row)).map(|found| string_array_json(&found)))
                })
            },
        )
    )
}

pub(crate) static GEO_GEOHASH_NEIGHBORS: KustoFunction = KustoFunction::scalar(
    Signature::scalar("geo_geohash_neighbors", &[P::Str], R::Fixed(T::Dynamic)),
    geohash_neighbors,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s, text};

    #[test]
    fn docs_examples() {
        // geo-geohash-neighbors-function-00 and -04.
        let udf = geohash_neighbors();
        assert_eq!(
            text(call_scalars(&udf, vec![s("sunny")])),
            r#"["sunnv","sunnt","sunnw","sunnx","sunpp","sunnz","sunpn","sunpj"]"#
        );
        assert_eq!(call_scalars(&udf, vec![s("a")]), ScalarValue::Utf8(None));
    }
}
