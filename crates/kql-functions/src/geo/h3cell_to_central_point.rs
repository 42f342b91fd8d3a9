//! `geo_h3cell_to_central_point(h3cell)`: the centre of an H3 cell as a GeoJSON point; null for an
//! invalid token.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use h3o::LatLng;

use super::{h3cell, point_json};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_geo_h3cell_to_central_point(h3cell: Utf8) -> Utf8` (dynamic).
pub fn h3cell_to_central_point() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_h3cell_to_central_point",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let tokens = args.str(0)?;
                optional_string_rows(args, |row| {
                    Ok(h3cell::parse(tokens.get(row)).map(|cell| {
                        let center = LatLng::from(cell);
                        point_json(center.lng(), center.lat())
                    }))
                })
            },
        )
    )
}

pub(crate) static GEO_H3CELL_TO_CENTRAL_POINT: KustoFunction = KustoFunction::scalar(
    Signature::scalar("geo_h3cell_to_central_point", &[P::Str], R::Fixed(T::Dynamic)),
    h3cell_to_central_point,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;
    use serde_json::Value;

    use super::*;
    use crate::geo::assert_close;
    use crate::string::kernel::testing::{call_scalars, s, text};

    #[test]
    fn docs_examples() {
        // The documentation's example: the centre of '862a1072fffffff', and null for the token "1".
        let udf = h3cell_to_central_point();
        let point: Value =
            serde_json::from_str(&text(call_scalars(&udf, vec![s("862a1072fffffff")]))).expect("JSON");
        assert_eq!(point["type"], "Point");
        assert_close(
            point["coordinates"][0].as_f64().expect("longitude"),
            -74.01600847979245,
        );
        assert_close(
            point["coordinates"][1].as_f64().expect("latitude"),
            40.7041679083504,
        );
        assert_eq!(call_scalars(&udf, vec![s("1")]), ScalarValue::Utf8(None));
    }
}
