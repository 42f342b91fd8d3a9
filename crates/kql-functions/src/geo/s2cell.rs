//! Reading S2 cell tokens as Kusto writes them, for the `geo_s2cell_*` functions.

use s2::cellid::CellID;

/// The cell a token names: 1 to 16 hexadecimal digits of the cell id with trailing zeros dropped;
/// `None` otherwise (the `s2` crate's own parser takes a sign and gives no error).
pub(super) fn parse(token: &str) -> Option<CellID> {
    let hex = (1..=16).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_hexdigit());
    let cell = CellID::from_token(token);
    (hex && cell.is_valid()).then_some(cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_valid_tokens() {
        assert!(parse("1234567").is_some());
        assert!(parse("89c259").is_some());
        assert!(parse("a").is_none());
        assert!(parse("+1").is_none());
        assert!(parse("").is_none());
        assert!(parse("12345678901234567").is_none());
    }
}
