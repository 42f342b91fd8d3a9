//! Geospatial functions: geohash, H3 and S2 cells, great-circle distance and azimuth. Points and polygons
//! are GeoJSON dynamic values.

use kql_types::KustoType::{Dynamic, Int, Real, String};

use super::Param::{Integer, Num, Str};
use super::Returns::Fixed;
use super::Signature as S;

pub(super) const FUNCTIONS: &[S] = &[
    S::new("geo_point_to_geohash", &[Num, Num, Integer], Fixed(String)).optional_from(2),
    S::new("geo_geohash_to_central_point", &[Str], Fixed(Dynamic)),
    S::new("geo_geohash_to_polygon", &[Str], Fixed(Dynamic)),
    S::new("geo_geohash_neighbors", &[Str], Fixed(Dynamic)),
    S::new("geo_point_to_h3cell", &[Num, Num, Integer], Fixed(String)).optional_from(2),
    S::new("geo_h3cell_level", &[Str], Fixed(Int)),
    S::new("geo_h3cell_parent", &[Str, Integer], Fixed(String)).optional_from(1),
    S::new("geo_h3cell_children", &[Str, Integer], Fixed(Dynamic)).optional_from(1),
    S::new("geo_h3cell_to_central_point", &[Str], Fixed(Dynamic)),
    S::new("geo_h3cell_to_polygon", &[Str], Fixed(Dynamic)),
    S::new("geo_point_to_s2cell", &[Num, Num, Integer], Fixed(String)).optional_from(2),
    S::new("geo_s2cell_to_central_point", &[Str], Fixed(Dynamic)),
    S::new("geo_azimuth", &[Num, Num, Num, Num], Fixed(Real)),
    // Kusto's optional `use_spheroid` is not supported, so a fifth argument is refused.
    S::new("geo_distance_2points", &[Num, Num, Num, Num], Fixed(Real)),
];
