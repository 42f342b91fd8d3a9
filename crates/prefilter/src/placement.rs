//! Whether a needle found in a record's raw bytes sits where its operator needs it in a value: at a
//! term boundary (`has`) or at the value's start or end (`startswith`, `==`). The test is conservative
//! like the rest: an edge counts as held unless the raw bytes rule it out.

use crate::condition::Edge;

/// How values lie in a record's raw text.
pub(crate) enum Layout<'a> {
    /// JSON text: values are strings between quotes, or literals after `:`.
    Json,
    /// Values concatenated (CSV fields after unquoting); `is_edge(at)` tells whether a value starts or
    /// ends at byte `at` (always at 0 and at the end).
    Values(&'a dyn Fn(usize) -> bool),
    /// CSV text as written, whole records: values start after `,`, a line break or a quote, and end
    /// before `,`, a quote or a line end (`\r\n` too).
    Csv,
}

/// A JSON escape ends at most this many bytes after its backslash (`\uXXXX`).
const ESCAPE_BYTES: usize = 6;

impl Layout<'_> {
    /// Whether the needle occurrence `text[start..end]` may start at a `start` edge and end at an
    /// `end` edge of some value.
    pub fn places(&self, text: &[u8], start: usize, end: usize, edges: (Edge, Edge)) -> bool {
        self.start_holds(text, start, edges.0) && self.end_holds(text, end, edges.1)
    }

    fn start_holds(&self, text: &[u8], start: usize, edge: Edge) -> bool {
        let before = match start.checked_sub(1) {
            None => return true,
            Some(at) => text[at],
        };
        match (self, edge) {
            (_, Edge::Free) => true,
            // What an escape just before decodes to is not known here (`\u002e` is a `.`).
            (Layout::Json, _) if escape_before(text, start) => true,
            (Layout::Json, Edge::Term) => !before.is_ascii_alphanumeric(),
            // A string's opening quote, or what a literal value (`true`) follows.
            (Layout::Json, Edge::Value) => {
                matches!(before, b'"' | b':' | b',' | b'[' | b' ' | b'\t' | b'\r' | b'\n')
            }
            (Layout::Values(is_edge), Edge::Term) => !before.is_ascii_alphanumeric() || is_edge(start),
            (Layout::Values(is_edge), Edge::Value) => is_edge(start),
            (Layout::Csv, Edge::Term) => !before.is_ascii_alphanumeric(),
            // A quote before may also be a quote inside the value (`""`): it admits either way.
            (Layout::Csv, Edge::Value) => matches!(before, b',' | b'"' | b'\n'),
        }
    }

    fn end_holds(&self, text: &[u8], end: usize, edge: Edge) -> bool {
        let Some(&after) = text.get(end) else {
            return true;
        };
        match (self, edge) {
            (_, Edge::Free) => true,
            // A backslash after may start an escape decoding to anything; it is not alphanumeric.
            (Layout::Json, Edge::Term) => !after.is_ascii_alphanumeric(),
            // A string's closing quote (or an escape), or what ends a literal value.
            (Layout::Json, Edge::Value) => {
                matches!(
                    after,
                    b'"' | b'\\' | b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n'
                )
            }
            (Layout::Values(is_edge), Edge::Term) => !after.is_ascii_alphanumeric() || is_edge(end),
            (Layout::Values(is_edge), Edge::Value) => is_edge(end),
            (Layout::Csv, Edge::Term) => !after.is_ascii_alphanumeric(),
            (Layout::Csv, Edge::Value) => matches!(after, b',' | b'"' | b'\r' | b'\n'),
        }
    }
}

/// Whether an escape may end right before `at` (a backslash among the bytes an escape can span).
fn escape_before(text: &[u8], at: usize) -> bool {
    memchr::memchr(b'\\', &text[at.saturating_sub(ESCAPE_BYTES)..at]).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str, start: usize, end: usize, edges: (Edge, Edge)) -> bool {
        Layout::Json.places(text.as_bytes(), start, end, edges)
    }

    #[test]
    fn json_edges() {
        let record = r#"{"U":"www.torrentialweather.example","V":"x\u002etorrent","B":true}"#;
        let at = |needle: &str| record.find(needle).unwrap();
        let torrent = at("torrent");
        let term = (Edge::Term, Edge::Term);
        assert!(!json(record, torrent, torrent + 7, term)); // followed by `i`
        assert!(json(record, torrent, torrent + 7, (Edge::Term, Edge::Free)));
        let escaped = record.rfind("torrent").unwrap();
        assert!(json(record, escaped, escaped + 7, term)); // `\u002e` may be a separator
        assert!(json(record, at("www"), at("www") + 3, (Edge::Value, Edge::Term)));
        assert!(!json(
            record,
            at("www") + 1,
            at("www") + 3,
            (Edge::Value, Edge::Free)
        ));
        assert!(json(
            record,
            at("true"),
            at("true") + 4,
            (Edge::Value, Edge::Value)
        ));
        assert!(!json(
            record,
            at("example"),
            at("example") + 6,
            (Edge::Free, Edge::Value)
        ));
    }

    #[test]
    fn value_edges_are_field_edges() {
        // "abc" + "torrent" + "x.tor": edges at 0, 3, 10, 15.
        let values = b"abctorrentx.tor";
        let is_edge = |at: usize| [0, 3, 10, 15].contains(&at);
        let layout = Layout::Values(&is_edge);
        assert!(layout.places(values, 3, 10, (Edge::Term, Edge::Term)));
        assert!(layout.places(values, 3, 10, (Edge::Value, Edge::Value)));
        assert!(!layout.places(values, 4, 10, (Edge::Term, Edge::Free)));
        assert!(layout.places(values, 11, 15, (Edge::Free, Edge::Value)));
        assert!(!layout.places(values, 11, 14, (Edge::Free, Edge::Value)));
    }
}
