//! The geohash codec Kusto uses: base32 text of interleaved longitude/latitude bisection bits (longitude
//! first), 1 to 18 characters. Hand-written because the `geohash` crate stops at 12 characters and
//! encodes through 32-bit fixed point, while Kusto accepts 18 (45 bits per axis).

const ALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";

/// The longest geohash Kusto accepts.
pub(super) const MAX_LENGTH: usize = 18;

/// A geohash cell's bounds in degrees. Every bound is a bisection of the whole range, so it is exact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Cell {
    pub west: f64,
    pub east: f64,
    pub south: f64,
    pub north: f64,
}

impl Cell {
    /// The centre as (longitude, latitude).
    pub(super) fn center(&self) -> (f64, f64) {
        ((self.west + self.east) / 2.0, (self.south + self.north) / 2.0)
    }

    /// The cell as a closed ring, counter-clockwise from the south-west corner, as Kusto writes it.
    pub(super) fn ring(&self) -> [(f64, f64); 5] {
        [
            (self.west, self.south),
            (self.east, self.south),
            (self.east, self.north),
            (self.west, self.north),
            (self.west, self.south),
        ]
    }
}

/// The geohash of a point; `None` for coordinates outside the globe or a length outside 1..=18.
pub(super) fn encode(longitude: f64, latitude: f64, length: usize) -> Option<String> {
    let valid = (1..=MAX_LENGTH).contains(&length)
        && (-180.0..=180.0).contains(&longitude)
        && (-90.0..=90.0).contains(&latitude);
    if !valid {
        return None;
    }
    let mut longitudes = (-180.0, 180.0);
    let mut latitudes = (-90.0, 90.0);
    let mut on_longitude = true;
    let mut text = String::with_capacity(length);
    for _ in 0..length {
        let mut code = 0;
        for _ in 0..5 {
            let (range, value) = if on_longitude {
                (&mut longitudes, longitude)
            } else {
                (&mut latitudes, latitude)
            };
            let middle = (range.0 + range.1) / 2.0;
            code <<= 1;
            if value >= middle {
                code |= 1;
                range.0 = middle;
            } else {
                range.1 = middle;
            }
            on_longitude = !on_longitude;
        }
        text.push(char::from(ALPHABET[code]));
    }
    Some(text)
}

/// The cell a geohash names; `None` for an empty, too long or non-geohash text.
pub(super) fn decode(geohash: &str) -> Option<Cell> {
    if !(1..=MAX_LENGTH).contains(&geohash.len()) {
        return None;
    }
    let mut longitudes = (-180.0, 180.0);
    let mut latitudes = (-90.0, 90.0);
    let mut on_longitude = true;
    for byte in geohash.bytes() {
        let code = ALPHABET.iter().position(|&c| c == byte)?;
        for bit in (0..5).rev() {
            let range = if on_longitude {
                &mut longitudes
            } else {
                &mut latitudes
            };
            let middle = (range.0 + range.1) / 2.0;
            if code >> bit & 1 == 1 {
                range.0 = middle;
            } else {
                range.1 = middle;
            }
            on_longitude = !on_longitude;
        }
    }
    Some(Cell {
        west: longitudes.0,
        east: longitudes.1,
        south: latitudes.0,
        north: latitudes.1,
    })
}

/// Neighbour directions as (longitude, latitude) steps: west, south-west, south, south-east, north-east,
/// east, north, north-west. Kusto leaves the order unspecified (its documentation shows another one);
/// this is the order the Kusto emulator returns.
const NEIGHBOR_STEPS: [(f64, f64); 8] = [
    (-1.0, 0.0),
    (-1.0, -1.0),
    (0.0, -1.0),
    (1.0, -1.0),
    (1.0, 1.0),
    (1.0, 0.0),
    (0.0, 1.0),
    (-1.0, 1.0),
];

/// The distinct cells of the same length around a geohash. Longitude wraps at the antimeridian; there is
/// no cell beyond a pole, so a polar cell has fewer neighbours.
pub(super) fn neighbors(geohash: &str) -> Option<Vec<String>> {
    let cell = decode(geohash)?;
    let (longitude, latitude) = cell.center();
    let (width, height) = (cell.east - cell.west, cell.north - cell.south);
    let mut found: Vec<String> = Vec::with_capacity(NEIGHBOR_STEPS.len());
    for (step_east, step_north) in NEIGHBOR_STEPS {
        let neighbor_latitude = latitude + step_north * height;
        if !(-90.0..=90.0).contains(&neighbor_latitude) {
            continue;
        }
        let mut neighbor_longitude = longitude + step_east * width;
        if neighbor_longitude > 180.0 {
            neighbor_longitude -= 360.0;
        } else if neighbor_longitude < -180.0 {
            neighbor_longitude += 360.0;
        }
        let neighbor = encode(neighbor_longitude, neighbor_latitude, geohash.len())?;
        if neighbor != geohash && !found.contains(&neighbor) {
            found.push(neighbor);
        }
    }
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_and_decodes_the_documented_cells() {
        // geo-geohash-to-polygon-function-00: "dr5ru" spans these bounds.
        let cell = decode("dr5ru").expect("valid geohash");
        assert_eq!(
            cell,
            Cell {
                west: -74.00390625,
                east: -73.9599609375,
                south: 40.7373046875,
                north: 40.78125
            }
        );
        assert_eq!(encode(-73.989148, 40.743273, 5).as_deref(), Some("dr5ru"));
        // geo-geohash-to-central-point-function-02.
        assert_eq!(
            decode("sv8wzvy7").map(|c| c.center()),
            Some((34.80245590209961, 32.15620994567871))
        );
    }

    #[test]
    fn rejects_invalid_input() {
        assert_eq!(decode("a"), None);
        assert_eq!(decode(""), None);
        assert_eq!(decode(&"s".repeat(19)), None);
        assert_eq!(encode(300.0, 1.0, 5), None);
        assert_eq!(encode(1.0, 1.0, 19), None);
        assert_eq!(encode(f64::NAN, 1.0, 5), None);
    }

    #[test]
    fn eighteen_characters_round_trip() {
        let geohash = encode(-122.4194, 37.7749, MAX_LENGTH).expect("valid point");
        assert_eq!(geohash.len(), MAX_LENGTH);
        let (longitude, latitude) = decode(&geohash).expect("valid geohash").center();
        assert_eq!(encode(longitude, latitude, MAX_LENGTH), Some(geohash));
    }

    #[test]
    fn polar_cells_have_no_neighbours_beyond_the_pole() {
        let top = encode(0.0, 90.0, 1).expect("valid point");
        let found = neighbors(&top).expect("valid geohash");
        // West, east and the three cells south of it; the northern row would lie past the pole.
        assert_eq!(found.len(), 5);
    }
}
