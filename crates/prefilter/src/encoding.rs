//! How a value's text can appear in a record's raw bytes, and what can hide a needle there.
//!
//! A needle is searched in the form a writer normally gives it (JSON: `"` as `\"`, `\` as `\\`, control
//! characters as serde writes them; CSV: the unquoted values themselves). Everything else that could
//! make a value contain the needle without that form occurring is a *hazard*, checked only for records
//! where the search failed: a hazard makes the needle count as present.
//! - Case: besides ASCII, two characters lower-case to ASCII letters, U+0130 (`İ` → `i̇`) and U+212A
//!   (Kelvin sign → `k`); a record holding one of them may match a case-insensitive needle with `i`/`k`.
//! - JSON escapes (`\uXXXX` in either hex case, surrogate pairs, `\/`, `\"`, `\\`, `\n`, ...): an escape
//!   decoding to a character the needle contains (case-folded) may complete it. A string column given a
//!   JSON object or array is re-serialized, which writes control characters, `"` and `\` as escapes
//!   again (`\n`, `\u001f`): such an escape is a hazard when its re-written form shares a character
//!   with the needle.
//! - Re-serialized JSON: a number given for a string column is re-formatted (`1E2` reads `100.0`), an
//!   object or array loses its whitespace and has its strings' `"` and `\` escaped again, so on JSON
//!   only the longest piece of a needle between `"\,:[]{}` is searched, and a piece that could be part
//!   of a number is not searched at all (it counts as present).

/// The raw text of a record, as the reader has it before parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// JSON text: a JSON-lines record or a whole Event Hub message.
    Json,
    /// The values themselves, concatenated (a CSV record after unquoting).
    Text,
    /// CSV text as written: whole records, values quoted (`""` for a quote inside) or not.
    Csv,
}

/// U+0130 LATIN CAPITAL LETTER I WITH DOT ABOVE in UTF-8; lower-cases to `i` + U+0307.
pub(crate) const DOTTED_CAPITAL_I: &[u8] = "\u{130}".as_bytes();
/// U+212A KELVIN SIGN in UTF-8; lower-cases to `k`.
pub(crate) const KELVIN_SIGN: &[u8] = "\u{212a}".as_bytes();

/// The form of `text` searched for in `encoding`.
pub(crate) fn searched_form(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Text | Encoding::Csv => text.as_bytes().to_vec(),
        Encoding::Json => {
            let mut form = Vec::with_capacity(text.len());
            for c in text.chars() {
                form.extend_from_slice(
                    json_escape(c)
                        .as_deref()
                        .unwrap_or(c.encode_utf8(&mut [0; 4]))
                        .as_bytes(),
                );
            }
            form
        }
    }
}

/// How serde_json writes a character inside a string when it must escape it (`"`, `\`, control
/// characters); `None` when it writes the character itself.
pub(crate) fn json_escape(c: char) -> Option<String> {
    Some(match c {
        '"' => "\\\"".to_string(),
        '\\' => "\\\\".to_string(),
        '\u{8}' => "\\b".to_string(),
        '\u{c}' => "\\f".to_string(),
        '\n' => "\\n".to_string(),
        '\r' => "\\r".to_string(),
        '\t' => "\\t".to_string(),
        c if (c as u32) < 0x20 => format!("\\u{:04x}", c as u32),
        _ => return None,
    })
}

/// The part of a needle that is searched in JSON text: the needle itself, or where it holds a
/// character that re-serialization writes differently (`"` and `\` are escaped again inside a
/// re-serialized object; `,:[]{}` may have lost the whitespace beside them), its longest piece between
/// such characters. Any piece of a needle is necessary too. `None` when no piece can be tested: a
/// needle that could be part of a re-formatted number (see [`number_like`]) cannot.
pub(crate) fn json_searchable(text: &str) -> Option<&str> {
    text.split(['"', '\\', ',', ':', '[', ']', '{', '}'])
        .filter(|piece| !piece.is_empty() && !number_like(piece))
        .max_by_key(|piece| piece.len())
}

/// The part of a needle that is searched in CSV text as written: the needle itself, or where it holds
/// a quote (written `""` inside a quoted value), its longest piece between quotes. `None` when it is
/// only quotes.
pub(crate) fn csv_searchable(text: &str) -> Option<&str> {
    text.split('"')
        .filter(|piece| !piece.is_empty())
        .max_by_key(|piece| piece.len())
}

/// Adds to `starts` every quote of raw CSV `text` (starting at a record's start) that closes a quoted
/// value but not the value itself: the csv crate reads on after such a quote and joins what follows to
/// the value (`"ab"cd` reads `abcd`), so a needle may span the quote. A closing quote followed by `,`,
/// a line break (`\r\n` too: the `\r` joined to a record's last value is dropped) or the text's end
/// ends its value. The quote rules are the csv crate's: a quote opens a quoted value only at a value's
/// start, and `""` inside one is a quote.
pub(crate) fn quotes_joining_values(text: &[u8], starts: &mut Vec<usize>) {
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'"', &text[at..]) {
        let opening = at + offset;
        at = opening + 1;
        if opening > 0 && !matches!(text[opening - 1], b',' | b'\n') {
            // A quote inside an unquoted value is a plain character.
            continue;
        }
        // Quoted: up to the quote that is not doubled.
        loop {
            let Some(offset) = memchr::memchr(b'"', &text[at..]) else {
                return;
            };
            let quote = at + offset;
            at = quote + 1;
            if text.get(at) == Some(&b'"') {
                at += 1;
                continue;
            }
            let ends_value = match text.get(at) {
                None | Some(b',' | b'\n') => true,
                Some(b'\r') => text.get(at + 1) == Some(&b'\n'),
                Some(_) => false,
            };
            if !ends_value {
                starts.push(quote);
            }
            break;
        }
    }
}

/// Whether `text` could occur inside serde_json's rendering of a number (`-?digits(.digits)?(e-?digits)?`):
/// number characters only, with at most one `.` and one exponent mark.
pub(crate) fn number_like(text: &str) -> bool {
    let count = |wanted: &[u8]| text.bytes().filter(|b| wanted.contains(b)).count();
    text.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-'))
        && count(b".") <= 1
        && count(b"eE") <= 1
}

/// A set of ASCII characters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct AsciiSet(u128);

impl AsciiSet {
    pub fn insert(&mut self, b: u8) {
        if b < 128 {
            self.0 |= 1 << b;
        }
    }

    pub fn contains(self, b: u8) -> bool {
        b < 128 && self.0 & (1 << b) != 0
    }

    pub fn intersects(self, other: AsciiSet) -> bool {
        self.0 & other.0 != 0
    }

    pub fn union(self, other: AsciiSet) -> AsciiSet {
        AsciiSet(self.0 | other.0)
    }

    /// The characters of `text`, in both cases unless `case_sensitive`.
    pub fn of(text: &[u8], case_sensitive: bool) -> AsciiSet {
        let mut set = AsciiSet::default();
        for &b in text {
            set.insert(b);
            if !case_sensitive {
                set.insert(b.to_ascii_lowercase());
                set.insert(b.to_ascii_uppercase());
            }
        }
        set
    }
}

/// The characters whose JSON escape, decoded, could complete a needle with these characters: the
/// needle's own characters, and the escaped characters whose re-serialized escape shares one with it.
pub(crate) fn escape_hazards(needle_chars: AsciiSet) -> AsciiSet {
    let mut hazards = needle_chars;
    for b in 0..128u8 {
        if let Some(escape) = json_escape(char::from(b))
            && AsciiSet::of(escape.as_bytes(), true).intersects(needle_chars)
        {
            hazards.insert(b);
        }
    }
    hazards
}

/// The character a JSON escape at the start of `bytes` (which starts with `\`) stands for, and the
/// escape's length; `None` for an invalid escape (the record does not parse, so hides nothing) or a
/// lone surrogate.
pub(crate) fn decode_escape(bytes: &[u8]) -> (Option<char>, usize) {
    let unit = |at: usize| -> Option<u32> {
        let hex = bytes.get(at..at + 4)?;
        let text = std::str::from_utf8(hex).ok()?;
        u32::from_str_radix(text, 16)
            .ok()
            .filter(|_| hex.iter().all(u8::is_ascii_hexdigit))
    };
    match bytes.get(1) {
        Some(b'"') => (Some('"'), 2),
        Some(b'\\') => (Some('\\'), 2),
        Some(b'/') => (Some('/'), 2),
        Some(b'b') => (Some('\u{8}'), 2),
        Some(b'f') => (Some('\u{c}'), 2),
        Some(b'n') => (Some('\n'), 2),
        Some(b'r') => (Some('\r'), 2),
        Some(b't') => (Some('\t'), 2),
        Some(b'u') => match unit(2) {
            Some(high @ 0xD800..=0xDBFF) => match (bytes.get(6..8), unit(8)) {
                (Some(b"\\u"), Some(low @ 0xDC00..=0xDFFF)) => {
                    let c = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                    (char::from_u32(c), 12)
                }
                _ => (None, 6),
            },
            Some(unit) => (char::from_u32(unit), 6),
            None => (None, 2),
        },
        _ => (None, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_two_non_ascii_characters_lower_case_to_ascii() {
        // The hazards above name exactly these; a Unicode update adding one must fail here.
        let folding: Vec<char> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|c| !c.is_ascii() && c.to_lowercase().any(|l| l.is_ascii()))
            .collect();
        assert_eq!(folding, vec!['\u{130}', '\u{212a}']);
    }

    #[test]
    fn escapes_decode_in_either_hex_case() {
        assert_eq!(decode_escape(br"\u0041x"), (Some('A'), 6));
        assert_eq!(decode_escape(br"\u212A"), (Some('\u{212a}'), 6));
        assert_eq!(decode_escape(br"\u212a"), (Some('\u{212a}'), 6));
        assert_eq!(decode_escape(br"\uD83D\uDE00"), (Some('😀'), 12));
        assert_eq!(decode_escape(br"\ud83d\ude00"), (Some('😀'), 12));
        assert_eq!(decode_escape(br"\/"), (Some('/'), 2));
        assert_eq!(decode_escape(br"\uD83Dx"), (None, 6));
        assert_eq!(decode_escape(br"\u+041"), (None, 2));
    }

    #[test]
    fn json_form_matches_serde() {
        for text in ["a\"b", "C:\\Windows", "tab\there", "x\u{1f}y", "/path/"] {
            let serde = serde_json::to_string(text).unwrap();
            assert_eq!(
                searched_form(text, Encoding::Json),
                serde.as_bytes()[1..serde.len() - 1]
            );
        }
    }
}
