//! `geo_s2cell_to_central_point(s2cell)`: the centre of an S2 cell as a GeoJSON point; null for an
//! invalid token.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use s2::latlng::LatLng;

use super::{point_json, s2cell};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_geo_s2cell_to_central_point(s2cell: Utf8) -> Utf8` (dynamic).
pub fn s2cell_to_central_point() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_geo_s2cell_to_central_point",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let tokens = args.str(0)?;
                optional_string_rows(args, |row| {
                    Ok(s2cell::parse(tokens.get(row)).map(|cell| {
                        let center = LatLng::from(cell);
                        point_json(center.lng.deg(), center.lat.deg())
                    }))
                })
            },
        )
    )
}

pub(crate) static GEO_S2CELL_TO_CENTRAL_POINT: KustoFunction = KustoFunction::scalar(
    Signature::scalar("geo_s2cell_to_central_point", &[P::Str], R::Fixed(T::Dynamic)),
    s2cell_to_central_point,
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
        // geo-s2cell-to-central-point-function-00 and -01.
        let udf = s2cell_to_central_point();
        let point: Value = serde_json::from_str(&text(call_scalars(&udf, vec![s("1234567")]))).expect("JSON");
        assert_eq!(point["type"], "Point");
        assert_close(
            point["coordinates"][0].as_f64().expect("longitude"),
            9.86830731850408,
        );
        assert_close(
            point["coordinates"][1].as_f64().expect("latitude"),
            27.468392925827605,
        );
        assert_eq!(call_scalars(&udf, vec![s("a")]), ScalarValue::Utf8(None));
    }
}
