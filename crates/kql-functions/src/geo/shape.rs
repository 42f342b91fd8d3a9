//! GeoJSON lines and polygons on the sphere, with the definitions of the S2 geometry library that
//! Kusto's geospatial functions follow (the S2 Earth radius of `sphere.rs`, S2's point containment,
//! area, centroid and projection): a ring bounds the smaller of the two regions it divides the sphere
//! into, edges are geodesics, and a polygon does not necessarily contain its vertices (S2's
//! semi-open boundary: when the Earth is divided into polygons, each point is in exactly one).
//!
//! Parsing answers `Ok(None)` for what the function pages call invalid (their answer is null) and an
//! error for a valid input torhunt cannot answer exactly (overlapping polygons of a MultiPolygon,
//! which Kusto unions first).

use datafusion::common::{DataFusionError, Result};
use s2::edge_crossings::{Crossing, angle_contains_vertex, crossing_sign, edge_or_vertex_crossing};
use s2::point::{Point, point_area, true_centroid};
use s2::predicates::{Direction, robust_sign};
use s2::r3::vector::Vector;
use serde_json::Value;

/// A point on the unit sphere from degrees, as S2's `S2LatLng::ToPoint`.
pub(super) fn point(longitude: f64, latitude: f64) -> Point {
    let (phi, theta) = (latitude.to_radians(), longitude.to_radians());
    Point(Vector::new(
        phi.cos() * theta.cos(),
        phi.cos() * theta.sin(),
        phi.sin(),
    ))
}

/// The (longitude, latitude) in degrees of a point (any length), as S2's `S2LatLng(point)`.
pub(super) fn degrees(point: &Point) -> (f64, f64) {
    let Vector { x, y, z } = point.0;
    let latitude = z.atan2((x * x + y * y).sqrt());
    let longitude = y.atan2(x);
    (longitude.to_degrees(), latitude.to_degrees())
}

/// The angle in radians between two points, as S2's `S1Angle(a, b)`.
pub(super) fn angle(a: &Point, b: &Point) -> f64 {
    a.0.cross(&b.0).norm().atan2(a.0.dot(&b.0))
}

/// One `[longitude, latitude]` position; `None` when it is not two numbers on the globe.
fn position(value: &Value) -> Option<(f64, f64)> {
    match value.as_array()?.as_slice() {
        [longitude, latitude] => {
            let (longitude, latitude) = (longitude.as_f64()?, latitude.as_f64()?);
            ((-180.0..=180.0).contains(&longitude) && (-90.0..=90.0).contains(&latitude))
                .then_some((longitude, latitude))
        }
        _ => None,
    }
}

/// The positions of an array as points; `None` when one is invalid.
fn positions(value: &Value) -> Option<Vec<Point>> {
    value
        .as_array()?
        .iter()
        .map(|p| position(p).map(|(lng, lat)| point(lng, lat)))
        .collect()
}

/// The `coordinates` of a GeoJSON value of one of `types`, with the type found; `Ok(None)` when the
/// value is not of those types. Coordinates nested deeper than the type says (a MultiPolygon of
/// `pack_array(polygon.coordinates)`) are refused: Kusto answers for some such values, and how it reads
/// them is not documented.
fn coordinates<'a>(value: &'a Value, types: &[&'static str]) -> Result<Option<(&'static str, &'a Value)>> {
    let Some(kind) = value.get("type").and_then(Value::as_str) else {
        return Ok(None);
    };
    let Some(kind) = types.iter().find(|t| **t == kind) else {
        return Ok(None);
    };
    let Some(coordinates) = value.get("coordinates") else {
        return Ok(None);
    };
    let depth = match *kind {
        "LineString" => 2,
        "MultiLineString" | "Polygon" => 3,
        _ => 4,
    };
    if nesting(coordinates) > depth {
        return Err(DataFusionError::NotImplemented(format!(
            "not supported yet: {kind} coordinates nested more than {depth} arrays deep"
        )));
    }
    Ok(Some((kind, coordinates)))
}

/// How many arrays deep a value nests (0 for a scalar).
fn nesting(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(nesting).max().unwrap_or(0),
        _ => 0,
    }
}

/// Whether an edge is longer than Kusto allows (180 degrees: antipodal ends have no shortest edge).
fn antipodal(a: &Point, b: &Point) -> bool {
    a.0 == b.0 * -1.0
}

/// A polyline: at least two vertices, no antipodal edge.
pub(super) struct Line {
    pub(super) vertices: Vec<Point>,
}

impl Line {
    fn read(value: &Value) -> Option<Line> {
        let vertices = positions(value)?;
        let valid = vertices.len() >= 2 && vertices.windows(2).all(|e| !antipodal(&e[0], &e[1]));
        valid.then_some(Line { vertices })
    }

    /// The edges as pairs of vertices.
    pub(super) fn edges(&self) -> impl Iterator<Item = (&Point, &Point)> {
        self.vertices.windows(2).map(|e| (&e[0], &e[1]))
    }

    /// The length in radians.
    pub(super) fn length(&self) -> f64 {
        self.edges().map(|(a, b)| angle(a, b)).sum()
    }
}

/// The lines of a GeoJSON LineString or MultiLineString; `Ok(None)` when invalid.
pub(super) fn lines(text: &str) -> Result<Option<Vec<Line>>> {
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return Ok(None);
    };
    Ok(match coordinates(&value, &["LineString", "MultiLineString"])? {
        Some(("LineString", line)) => Line::read(line).map(|line| vec![line]),
        Some((_, lines)) => lines
            .as_array()
            .and_then(|lines| lines.iter().map(Line::read).collect::<Option<Vec<_>>>())
            .filter(|lines| !lines.is_empty()),
        None => None,
    })
}

/// The line of a GeoJSON LineString, for the functions whose docs take one line: `Ok(None)` when
/// invalid, an error for a MultiLineString (the docs say the input should not hold several lines and
/// leave what happens open).
pub(super) fn single_line(text: &str) -> Result<Option<Line>> {
    let Some(value) = serde_json::from_str::<Value>(text).ok() else {
        return Ok(None);
    };
    match coordinates(&value, &["LineString", "MultiLineString"])? {
        Some(("LineString", line)) => Ok(Line::read(line)),
        Some(_) => Err(DataFusionError::NotImplemented(
            "not supported yet: a MultiLineString where the docs take a single LineString".to_string(),
        )),
        None => Ok(None),
    }
}

/// A closed ring, its vertices (without the repeated first) ordered counterclockwise around the region
/// it bounds, the smaller of the two.
pub(super) struct Ring {
    vertices: Vec<Point>,
    /// Whether S2's reference point (`S2::Origin()`) is inside, as `S2Loop` computes it.
    origin_inside: bool,
}

impl Ring {
    /// A ring as the docs define it: at least four positions, the last equal to the first, the others
    /// distinct, no antipodal edge, no edge crossing another.
    fn read(value: &Value) -> Option<Ring> {
        let mut vertices = positions(value)?;
        if vertices.len() < 4 || vertices.first() != vertices.last() {
            return None;
        }
        vertices.pop();
        let distinct = vertices
            .iter()
            .enumerate()
            .all(|(i, v)| !vertices[i + 1..].contains(v));
        let n = vertices.len();
        let edge = |i: usize| (&vertices[i], &vertices[(i + 1) % n]);
        if !distinct || (0..n).any(|i| antipodal(edge(i).0, edge(i).1)) {
            return None;
        }
        // Edges two apart or more must not cross (neighbours share a vertex).
        let crossing = (0..n).any(|i| {
            (i + 2..n)
                .filter(|&j| !(i == 0 && j == n - 1))
                .any(|j| edges_cross(edge(i), edge(j)))
        });
        if crossing {
            return None;
        }
        if signed_area(&vertices) < 0.0 {
            vertices.reverse();
        }
        let mut ring = Ring {
            vertices,
            origin_inside: false,
        };
        // S2Loop::InitOriginAndBound: guess the origin is outside, then check with vertex 1.
        let v = &ring.vertices;
        let v1_inside = angle_contains_vertex(&v[0], &v[1], &v[2]);
        if v1_inside != ring.contains(&v[1]) {
            ring.origin_inside = true;
        }
        Some(ring)
    }

    /// The edges as pairs of vertices, the closing edge last.
    pub(super) fn edges(&self) -> impl Iterator<Item = (&Point, &Point)> {
        let n = self.vertices.len();
        (0..n).map(move |i| (&self.vertices[i], &self.vertices[(i + 1) % n]))
    }

    /// Whether the ring's region contains a point, by counting crossings from S2's reference point
    /// (`S2Loop::BruteForceContains`).
    pub(super) fn contains(&self, p: &Point) -> bool {
        let origin = Point::origin();
        self.edges().fold(self.origin_inside, |inside, (a, b)| {
            inside ^ edge_or_vertex_crossing(&origin, p, a, b)
        })
    }

    /// The area in steradians.
    fn area(&self) -> f64 {
        signed_area(&self.vertices)
    }

    /// The true centroid multiplied by the area (not unit length), as `S2Loop::GetCentroid`.
    fn centroid(&self) -> Vector {
        fan(&self.vertices, |a, b, c| true_centroid(a, b, c).0)
            .into_iter()
            .fold(Vector::new(0.0, 0.0, 0.0), |sum, v| sum + v)
    }
}

/// Whether two edges share a point: they cross, or share a vertex (S2's `CrossingSign` is `MaybeCross`
/// only when a vertex of one is a vertex of the other).
pub(super) fn edges_touch(a: (&Point, &Point), b: (&Point, &Point)) -> bool {
    crossing_sign(a.0, a.1, b.0, b.1) != Crossing::DoNotCross
}

/// Whether two edges cross at a point interior to both.
fn edges_cross(a: (&Point, &Point), b: (&Point, &Point)) -> bool {
    crossing_sign(a.0, a.1, b.0, b.1) == Crossing::Cross
}

/// `f` over the triangles of a fan from the first vertex, as S2's `GetSurfaceIntegral` for loops
/// with no edge near 180 degrees (Kusto's rings have none).
fn fan<T>(vertices: &[Point], f: impl Fn(&Point, &Point, &Point) -> T) -> Vec<T> {
    let origin = &vertices[0];
    vertices
        .windows(2)
        .skip(1)
        .map(|e| f(origin, &e[0], &e[1]))
        .collect()
}

/// The area of a loop's left side in steradians, negative when the vertices run clockwise around the
/// smaller region (S2's `GetSignedArea`).
fn signed_area(vertices: &[Point]) -> f64 {
    fan(vertices, |a, b, c| {
        let area = point_area(a, b, c);
        match robust_sign(a, b, c) {
            Direction::Clockwise => -area,
            Direction::CounterClockwise => area,
            Direction::Indeterminate => 0.0,
        }
    })
    .into_iter()
    .sum()
}

/// A polygon: a shell and holes inside it.
pub(super) struct Polygon {
    shell: Ring,
    holes: Vec<Ring>,
}

impl Polygon {
    fn read(value: &Value) -> Option<Polygon> {
        let mut rings = value
            .as_array()?
            .iter()
            .map(Ring::read)
            .collect::<Option<Vec<_>>>()?;
        if rings.is_empty() {
            return None;
        }
        let shell = rings.remove(0);
        let polygon = Polygon { shell, holes: rings };
        if polygon.rings_cross() {
            return None;
        }
        Some(polygon)
    }

    pub(super) fn rings(&self) -> impl Iterator<Item = &Ring> {
        std::iter::once(&self.shell).chain(&self.holes)
    }

    /// Whether edges of two different rings cross.
    fn rings_cross(&self) -> bool {
        let rings: Vec<&Ring> = self.rings().collect();
        rings.iter().enumerate().any(|(i, a)| {
            rings[i + 1..]
                .iter()
                .any(|b| a.edges().any(|ea| b.edges().any(|eb| edges_cross(ea, eb))))
        })
    }

    /// Whether the polygon contains a point: inside the shell and no hole.
    pub(super) fn contains(&self, p: &Point) -> bool {
        self.shell.contains(p) && !self.holes.iter().any(|hole| hole.contains(p))
    }

    fn area(&self) -> f64 {
        self.shell.area() - self.holes.iter().map(Ring::area).sum::<f64>()
    }

    fn centroid(&self) -> Vector {
        self.holes
            .iter()
            .fold(self.shell.centroid(), |sum, hole| sum - hole.centroid())
    }
}

/// The polygons of a GeoJSON Polygon or MultiPolygon.
pub(super) struct Polygons(Vec<Polygon>);

impl Polygons {
    /// Reads a Polygon or MultiPolygon; `Ok(None)` when invalid, an error for polygons of a
    /// MultiPolygon that overlap (Kusto answers for their union, which torhunt does not compute).
    pub(super) fn read(text: &str) -> Result<Option<Polygons>> {
        let Some(polygons) = Self::parse(text)? else {
            return Ok(None);
        };
        let overlap = polygons.0.iter().enumerate().any(|(i, a)| {
            polygons.0[i + 1..].iter().any(|b| {
                let crossing = a.rings().any(|ra| {
                    b.rings()
                        .any(|rb| ra.edges().any(|ea| rb.edges().any(|eb| edges_cross(ea, eb))))
                });
                crossing
                    || a.shell.vertices.iter().any(|v| b.contains(v))
                    || b.shell.vertices.iter().any(|v| a.contains(v))
            })
        });
        let hole_outside = polygons.0.iter().any(|polygon| {
            polygon
                .holes
                .iter()
                .any(|hole| !hole.vertices.iter().any(|v| polygon.shell.contains(v)))
        });
        if hole_outside {
            return Err(DataFusionError::NotImplemented(
                "not supported yet: a polygon hole outside its shell (the docs leave its meaning open)"
                    .to_string(),
            ));
        }
        if overlap {
            return Err(DataFusionError::NotImplemented(
                "not supported yet: a MultiPolygon whose polygons overlap (Kusto answers for their union)"
                    .to_string(),
            ));
        }
        Ok(Some(polygons))
    }

    fn parse(text: &str) -> Result<Option<Polygons>> {
        let Ok(value) = serde_json::from_str::<Value>(text) else {
            return Ok(None);
        };
        Ok(match coordinates(&value, &["Polygon", "MultiPolygon"])? {
            Some(("Polygon", polygon)) => Polygon::read(polygon).map(|polygon| Polygons(vec![polygon])),
            Some((_, polygons)) => polygons
                .as_array()
                .and_then(|polygons| polygons.iter().map(Polygon::read).collect::<Option<Vec<_>>>())
                .filter(|polygons| !polygons.is_empty())
                .map(Polygons),
            None => None,
        })
    }

    pub(super) fn contains(&self, p: &Point) -> bool {
        self.0.iter().any(|polygon| polygon.contains(p))
    }

    /// Every edge of every ring.
    pub(super) fn edges(&self) -> impl Iterator<Item = (&Point, &Point)> {
        self.0.iter().flat_map(Polygon::rings).flat_map(Ring::edges)
    }

    /// The area in steradians.
    pub(super) fn area(&self) -> f64 {
        self.0.iter().map(Polygon::area).sum()
    }

    /// The true centroid multiplied by the area.
    pub(super) fn centroid(&self) -> Vector {
        self.0.iter().fold(Vector::new(0.0, 0.0, 0.0), |sum, polygon| {
            sum + polygon.centroid()
        })
    }
}

/// The point of edge `ab` closest to `x`, as S2's `S2::Project`.
pub(super) fn project(x: &Point, a: &Point, b: &Point) -> Point {
    let normal = a.cross(b).0;
    let p = x.0 - normal * (x.0.dot(&normal) / normal.norm2());
    let ccw = |a: &Vector, b: &Vector, c: &Vector| c.cross(a).dot(b) > 0.0;
    if ccw(&normal, &a.0, &p) && ccw(&p, &b.0, &normal) {
        return Point(p.normalize());
    }
    if (x.0 - a.0).norm2() <= (x.0 - b.0).norm2() {
        *a
    } else {
        *b
    }
}

/// The edge closest to `x` (the first of equally close ones) and the point on it closest to `x`.
pub(super) fn closest<'a>(
    x: &Point,
    edges: impl Iterator<Item = (&'a Point, &'a Point)>,
) -> Option<(usize, Point)> {
    let mut best: Option<(f64, usize, Point)> = None;
    for (index, (a, b)) in edges.enumerate() {
        let p = project(x, a, b);
        let distance = angle(x, &p);
        if best.is_none_or(|(d, _, _)| distance < d) {
            best = Some((distance, index, p));
        }
    }
    best.map(|(_, index, p)| (index, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_follow_the_docs_constraints() {
        let ring = |text: &str| Ring::read(&serde_json::from_str(text).unwrap()).is_some();
        assert!(ring("[[0,0],[10,10],[10,1],[0,0]]"));
        // Clockwise is accepted: the smaller region is chosen.
        assert!(ring("[[0,0],[10,1],[10,10],[0,0]]"));
        assert!(!ring("[[0,0],[10,10],[10,10],[0,0]]"), "repeated vertex");
        assert!(!ring("[[0,0],[10,10],[10,1]]"), "not closed");
        assert!(!ring("[[0,0],[10,10],[0,0]]"), "fewer than four positions");
        assert!(!ring("[[0,0],[10,10],[10,0],[0,10],[0,0]]"), "edges cross");
        assert!(!ring("[[0,0],[200,10],[10,1],[0,0]]"), "longitude off the globe");
    }

    #[test]
    fn containment_chooses_the_smaller_region_either_way_round() {
        for text in [
            "[[0,0],[10,0],[10,10],[0,10],[0,0]]",
            "[[0,0],[0,10],[10,10],[10,0],[0,0]]",
        ] {
            let ring = Ring::read(&serde_json::from_str(text).unwrap()).unwrap();
            assert!(ring.contains(&point(5.0, 5.0)));
            assert!(!ring.contains(&point(15.0, 5.0)));
            assert!(!ring.contains(&point(-170.0, -40.0)));
        }
    }
}
