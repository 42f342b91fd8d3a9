//! Reading H3 cell tokens and resolutions as Kusto writes them, for the `geo_h3cell_*` functions.

use h3o::{CellIndex, Resolution};

/// The cell a token names (15 hexadecimal digits, as `geo_point_to_h3cell` writes); `None` otherwise.
pub(super) fn parse(token: &str) -> Option<CellIndex> {
    token.parse().ok()
}

/// An H3 resolution (0..=15); `None` for null or out of range.
pub(super) fn resolution(value: Option<i64>) -> Option<Resolution> {
    u8::try_from(value?)
        .ok()
        .and_then(|level| Resolution::try_from(level).ok())
}
