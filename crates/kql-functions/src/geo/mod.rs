//! Kusto geospatial functions: geohash, H3 and S2 cells, great-circle distance and azimuth. Points and
//! polygons are GeoJSON dynamic values (compact JSON text), coordinates in degrees as [longitude, latitude].

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, Float64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::logical_expr::{ColumnarValue, Expr, ScalarUDF};
use serde_json::json;

use crate::string::kernel::{Args, Param, Params, Prepared, define, double_rows, string_rows};

use crate::registry::{KustoFunction, ScalarCall};

mod azimuth;
mod closest_point_on_line;
mod closest_point_on_polygon;
mod distance_2points;
mod distance_point_to_polygon;
mod geohash;
mod geohash_neighbors;
mod geohash_to_central_point;
mod geohash_to_polygon;
mod h3cell;
mod h3cell_children;
mod h3cell_level;
mod h3cell_parent;
mod h3cell_to_central_point;
mod h3cell_to_polygon;
mod intersects;
mod line_centroid;
mod line_interpolate_point;
mod line_locate_point;
mod point_in_polygon;
mod point_to_geohash;
mod point_to_h3cell;
mod point_to_s2cell;
mod polygon_area;
mod polygon_centroid;
mod s2cell;
mod s2cell_to_central_point;
mod shape;
mod sphere;

/// The family's functions, each declared in its own file.
pub(crate) const FUNCTIONS: &[&KustoFunction] = &[
    &point_to_geohash::GEO_POINT_TO_GEOHASH,
    &geohash_to_central_point::GEO_GEOHASH_TO_CENTRAL_POINT,
    &geohash_to_polygon::GEO_GEOHASH_TO_POLYGON,
    &geohash_neighbors::GEO_GEOHASH_NEIGHBORS,
    &point_to_h3cell::GEO_POINT_TO_H3CELL,
    &h3cell_level::GEO_H3CELL_LEVEL,
    &h3cell_parent::GEO_H3CELL_PARENT,
    &h3cell_children::GEO_H3CELL_CHILDREN,
    &h3cell_to_central_point::GEO_H3CELL_TO_CENTRAL_POINT,
    &h3cell_to_polygon::GEO_H3CELL_TO_POLYGON,
    &point_to_s2cell::GEO_POINT_TO_S2CELL,
    &s2cell_to_central_point::GEO_S2CELL_TO_CENTRAL_POINT,
    &azimuth::GEO_AZIMUTH,
    &distance_2points::GEO_DISTANCE_2POINTS,
    &point_in_polygon::GEO_POINT_IN_POLYGON,
    &polygon_area::GEO_POLYGON_AREA,
    &polygon_centroid::GEO_POLYGON_CENTROID,
    &distance_point_to_polygon::GEO_DISTANCE_POINT_TO_POLYGON,
    &closest_point_on_polygon::GEO_CLOSEST_POINT_ON_POLYGON,
    &closest_point_on_line::GEO_CLOSEST_POINT_ON_LINE,
    &line_centroid::GEO_LINE_CENTROID,
    &line_interpolate_point::GEO_LINE_INTERPOLATE_POINT,
    &line_locate_point::GEO_LINE_LOCATE_POINT,
    &intersects::GEO_INTERSECTS_2LINES,
    &intersects::GEO_INTERSECTS_LINE_WITH_POLYGON,
];

/// A cell system for `geo_point_to_*(longitude, latitude, [precision])`.
trait PointToCell {
    const NAME: &'static str;
    /// The precision used when the argument is absent.
    const DEFAULT_PRECISION: i64;
    /// The token of the cell holding a point on the globe, or `None` for a precision out of range.
    fn encode(longitude: f64, latitude: f64, precision: i64) -> Option<String>;
}

/// The UDF of a cell system: null precisions, out-of-range precisions and points off the globe give "".
fn point_to_cell_udf<C: PointToCell>() -> Arc<ScalarUDF> {
    define(
        C::NAME,
        Params::optional(&[Param::Any, Param::Any], &[Param::Long]),
        DataType::Utf8,
        point_to_cell_rows::<C>,
    )
}

fn point_to_cell_rows<C: PointToCell>(args: &Args) -> Result<ColumnarValue> {
    let points = Points::read(args, 0)?;
    let precisions = if args.has(2) { Some(args.long(2)?) } else { None };
    string_rows(args, |row, out| {
        let precision = match &precisions {
            Some(column) => column.get(row),
            None => Some(C::DEFAULT_PRECISION),
        };
        let token = points
            .get(row)
            .zip(precision)
            .and_then(|((longitude, latitude), precision)| C::encode(longitude, latitude, precision));
        if let Some(token) = token {
            out.push_str(&token);
        }
        Ok(())
    })
}

/// A function of two points, `(p1_longitude, p1_latitude, p2_longitude, p2_latitude) -> real`.
trait TwoPoints {
    const NAME: &'static str;
    /// The value for two points on the globe, or `None` for null; an error for points whose answer
    /// torhunt cannot promise.
    fn measure(from: (f64, f64), to: (f64, f64)) -> Result<Option<f64>>;
}

/// Lowers a call whose last, optional argument is Kusto's `use_spheroid` (after `required`
/// arguments) to `udf` over the others. `false`, the documented default, measures on the sphere as
/// `udf` does; `true` (the spheroid) or a value known only per row is refused, as torhunt measures on
/// the sphere only.
fn on_the_sphere(name: &str, call: ScalarCall, required: usize, udf: Arc<ScalarUDF>) -> Result<Expr> {
    let mut args = call.args;
    match args.get(required) {
        None | Some(Expr::Literal(ScalarValue::Boolean(Some(false)), _)) => {
            args.truncate(required);
            Ok(udf.call(args))
        }
        Some(_) => plan_err!(
            "not supported yet: `{name}` with use_spheroid other than a constant false: torhunt measures \
             on the sphere only"
        ),
    }
}

/// The UDF of a two-point function: null when a point is missing or off the globe.
fn two_points_udf<M: TwoPoints>() -> Arc<ScalarUDF> {
    define(
        M::NAME,
        Params::fixed(&[Param::Any, Param::Any, Param::Any, Param::Any]),
        DataType::Float64,
        two_points_rows::<M>,
    )
}

fn two_points_rows<M: TwoPoints>(args: &Args) -> Result<ColumnarValue> {
    let (from, to) = (Points::read(args, 0)?, Points::read(args, 2)?);
    double_rows(args, |row| match from.get(row).zip(to.get(row)) {
        Some((from, to)) => M::measure(from, to),
        None => Ok(None),
    })
}

/// The longitude and latitude arguments of a point function (int, long or real; the binder has checked
/// them), as reals.
struct Points {
    longitudes: Float64Array,
    latitudes: Float64Array,
}

impl Points {
    /// Reads the arguments at `first` (longitude) and `first + 1` (latitude).
    fn read(args: &Args, first: usize) -> Result<Points> {
        let reals = |index| -> Result<Float64Array> {
            let values = cast(&args.any(index)?, &DataType::Float64)?;
            Ok(values.as_primitive::<Float64Type>().clone())
        };
        Ok(Points {
            longitudes: reals(first)?,
            latitudes: reals(first + 1)?,
        })
    }

    /// The (longitude, latitude) at `row` when both are present and on the globe: longitude in
    /// [-180, 180], latitude in [-90, 90] (NaN fails both).
    fn get(&self, row: usize) -> Option<(f64, f64)> {
        let longitude = self
            .longitudes
            .is_valid(row)
            .then(|| self.longitudes.value(row))?;
        let latitude = self.latitudes.is_valid(row).then(|| self.latitudes.value(row))?;
        ((-180.0..=180.0).contains(&longitude) && (-90.0..=90.0).contains(&latitude))
            .then_some((longitude, latitude))
    }
}

/// Evaluates `f` on each row's shape (the GeoJSON text of argument `at`, read by `read` once per
/// distinct text) and the row; an invalid shape gives null without calling `f`.
fn per_shape<S, V>(
    args: &Args,
    at: usize,
    read: fn(&str) -> Result<Option<S>>,
    mut f: impl FnMut(&S, usize) -> Result<Option<V>>,
) -> Result<Vec<Option<V>>> {
    let texts = args.str(at)?;
    let mut shapes = Prepared::new();
    (0..args.rows())
        .map(|row| match shapes.get(texts.get(row), read)? {
            Some(shape) => f(shape, row),
            None => Ok(None),
        })
        .collect()
}

/// [`per_shape`] for functions of two shapes (arguments 0 and 1): null when either is invalid.
fn per_two_shapes<A, B, V>(
    args: &Args,
    read_first: fn(&str) -> Result<Option<A>>,
    read_second: fn(&str) -> Result<Option<B>>,
    mut f: impl FnMut(&A, &B) -> Option<V>,
) -> Result<Vec<Option<V>>> {
    let seconds = args.str(1)?;
    let mut cache = Prepared::new();
    per_shape(args, 0, read_first, |first, row| {
        Ok(cache
            .get(seconds.get(row), read_second)?
            .as_ref()
            .and_then(|second| f(first, second)))
    })
}

/// [`per_shape`] for functions of a point (arguments 0 and 1) and a shape (argument 2): a point
/// off the globe gives null.
fn per_point_and_shape<S, V>(
    args: &Args,
    read: fn(&str) -> Result<Option<S>>,
    mut f: impl FnMut(&s2::point::Point, &S) -> Option<V>,
) -> Result<Vec<Option<V>>> {
    let points = Points::read(args, 0)?;
    per_shape(args, 2, read, |shape, row| {
        Ok(points
            .get(row)
            .and_then(|(longitude, latitude)| f(&shape::point(longitude, latitude), shape)))
    })
}

/// The GeoJSON point of a point on the sphere.
fn sphere_point_json(point: &s2::point::Point) -> String {
    let (longitude, latitude) = shape::degrees(point);
    point_json(longitude, latitude)
}

/// A GeoJSON point as compact JSON text.
fn point_json(longitude: f64, latitude: f64) -> String {
    json!({"type": "Point", "coordinates": [longitude, latitude]}).to_string()
}

/// A GeoJSON polygon of one closed ring of (longitude, latitude) vertices, as compact JSON text.
fn polygon_json(ring: impl IntoIterator<Item = (f64, f64)>) -> String {
    let ring: Vec<[f64; 2]> = ring.into_iter().map(|(lng, lat)| [lng, lat]).collect();
    json!({"type": "Polygon", "coordinates": [ring]}).to_string()
}

/// A dynamic array of strings as compact JSON text.
fn string_array_json(values: &[String]) -> String {
    serde_json::Value::from(values).to_string()
}

/// Asserts two coordinates agree within the 1e-9 relative tolerance the conformance suite allows.
#[cfg(test)]
fn assert_close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs(),
        "{actual} is not {expected}"
    );
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::assert_close;
    use crate::string::kernel::testing::text;

    /// Central Park, the polygon of the geo_polygon_* and geo_*_point_on_polygon documentation.
    pub(crate) const CENTRAL_PARK: &str = r#"{"type":"Polygon","coordinates":[[[-73.9495,40.7969],[-73.95807266235352,40.80068603561921],[-73.98201942443848,40.76825672305777],[-73.97317886352539,40.76455136505513],[-73.9495,40.7969]]]}"#;

    /// Asserts a result is the GeoJSON point (longitude, latitude), within the conformance tolerance.
    pub(crate) fn assert_point(result: ScalarValue, (longitude, latitude): (f64, f64)) {
        let point: serde_json::Value = serde_json::from_str(&text(result)).expect("GeoJSON");
        assert_eq!(point["type"], "Point", "{point}");
        let coordinates: [f64; 2] = serde_json::from_value(point["coordinates"].clone()).expect("a pair");
        let close = |actual: f64, expected: f64| {
            if expected == 0.0 {
                assert!(actual.abs() < 1e-12, "{actual} is not 0")
            } else {
                assert_close(actual, expected)
            }
        };
        close(coordinates[0], longitude);
        close(coordinates[1], latitude);
    }
}
