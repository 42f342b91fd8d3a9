//! Great-circle geometry on the sphere Kusto measures the Earth with (S2's mean radius, 6371010 m: the
//! documented Seattle to Los Angeles distance, 1546754.35197381 m, is exactly that radius times the
//! central angle).

pub(super) const EARTH_RADIUS_METERS: f64 = 6_371_010.0;

/// The central angle in radians between two (longitude, latitude) points in degrees, by the haversine
/// formula, which stays accurate for points metres apart.
fn central_angle(from: (f64, f64), to: (f64, f64)) -> f64 {
    let (from_lat, to_lat) = (from.1.to_radians(), to.1.to_radians());
    let half_lat = (to_lat - from_lat) / 2.0;
    let half_lng = (to.0 - from.0).to_radians() / 2.0;
    let h = half_lat.sin().powi(2) + from_lat.cos() * to_lat.cos() * half_lng.sin().powi(2);
    2.0 * h.sqrt().min(1.0).asin()
}

/// The shortest distance in metres between two points on the Earth.
pub(super) fn distance_meters(from: (f64, f64), to: (f64, f64)) -> f64 {
    EARTH_RADIUS_METERS * central_angle(from, to)
}

/// The point at (longitude, latitude) in degrees as a unit vector.
fn unit_vector((longitude, latitude): (f64, f64)) -> [f64; 3] {
    let (longitude, latitude) = (longitude.to_radians(), latitude.to_radians());
    [
        latitude.cos() * longitude.cos(),
        latitude.cos() * longitude.sin(),
        latitude.sin(),
    ]
}

/// How close (as a chord of the unit sphere, about 6 µm on the Earth) two points count as the same
/// point or as antipodes: rounding keeps `(0, 0)` and `(180, 0)` from being exact opposites.
const SAME_POINT: f64 = 1e-12;

/// The initial bearing from `from` to `to` in radians clockwise from north, in [0, 2π); `None` when the
/// points coincide (also when written differently, as two longitudes at a pole) or are antipodal, as
/// the docs say: there is no one direction then.
pub(super) fn azimuth(from: (f64, f64), to: (f64, f64)) -> Option<f64> {
    let (a, b) = (unit_vector(from), unit_vector(to));
    let chord = |sign: f64| (0..3).map(|i| (a[i] - sign * b[i]).powi(2)).sum::<f64>().sqrt();
    if chord(1.0) < SAME_POINT || chord(-1.0) < SAME_POINT {
        return None;
    }
    let (from_lat, to_lat) = (from.1.to_radians(), to.1.to_radians());
    let delta_lng = (to.0 - from.0).to_radians();
    let east = delta_lng.sin() * to_lat.cos();
    let north = from_lat.cos() * to_lat.sin() - from_lat.sin() * to_lat.cos() * delta_lng.cos();
    let bearing = east.atan2(north).rem_euclid(std::f64::consts::TAU);
    // A bearing a rounding error west of north (towards a pole) comes out as 2π itself, outside
    // [0, 2π): it is north.
    Some(if bearing < std::f64::consts::TAU {
        bearing
    } else {
        0.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::assert_close;

    #[test]
    fn docs_examples() {
        // geo_distance_2points documentation: Seattle to Los Angeles.
        assert_close(
            distance_meters((-122.407628, 47.578557), (-118.275287, 34.019056)),
            1546754.35197381,
        );
        // geo-azimuth-function-00 and -03.
        assert_close(
            azimuth((5.0, 10.0), (10.0, -40.0)).expect("distinct points"),
            3.054599397964492,
        );
        assert_eq!(azimuth((5.0, 10.0), (5.0, 10.0)), None);
        // "If point1 and point2 are antipodal, the query will produce a null result."
        assert_eq!(azimuth((0.0, 0.0), (180.0, 0.0)), None);
        assert_eq!(azimuth((5.0, 10.0), (-175.0, -10.0)), None);
        // One point, two longitudes: the north pole.
        assert_eq!(azimuth((0.0, 90.0), (10.0, 90.0)), None);
        // Towards the north pole is north, never 2π.
        assert_eq!(azimuth((30.0, 10.0), (0.0, 90.0)), Some(0.0));
    }
}
