//! Line-based mapped layouts: Zeek's TSV logs (with their `#` header) and JSON lines (Zeek, Suricata
//! EVE, Windows events), and telling them apart by their first line.

use serde_json::{Map, Value};

use super::{EachRecord, Parsed};
use crate::error::{Result, SourceError};
use crate::format::{Format, open_text};
use crate::read::{SourceFile, read_line_capped, too_long_reason};
use crate::report::Position;

/// Maps one JSON object (the record on line `line`) to what it is.
pub(super) type MapJson = fn(&Map<String, Value>, u64) -> Parsed;

/// Zeek's TSV logs begin with their field separator: `#separator \x09`.
pub(crate) fn is_zeek_tsv_header(first_line: &[u8]) -> bool {
    first_line.starts_with(b"#separator ")
}

/// The mapped JSON layout a first record shows, if any: Suricata EVE (`event_type` with flow
/// addresses), a Zeek log (`ts` and `uid`, in either key style, or Zeek's `_path`), or a Windows
/// event (Security-Datasets or Winlogbeat shape).
pub(crate) fn mapped_json_layout(object: &Map<String, Value>) -> Option<Format> {
    let has = |key: &str| object.contains_key(key);
    if has("event_type") && (has("src_ip") || has("timestamp")) {
        Some(Format::SuricataEve)
    } else if has("ts") && (has("uid") || has("_path")) {
        Some(Format::ZeekJson)
    } else if super::windows::is_windows_event(object) {
        Some(Format::WindowsEventJson)
    } else {
        None
    }
}

/// Makes a record of one line's text, whether it ended with a line break, and its number (`None`:
/// nothing to report, a header line).
type LineFn<'a> = dyn FnMut(&[u8], bool, u64) -> Option<Parsed> + 'a;

/// Reads lines, handing each non-blank one (without its line break) to `line_fn` with its position,
/// whether it ended with a line break, and its number; `each` gets what `line_fn` made of it.
fn read_lines(
    file: &SourceFile,
    max_record_bytes: u64,
    line_fn: &mut LineFn<'_>,
    each: &mut EachRecord<'_>,
) -> Result<()> {
    let io_error = |e| SourceError::io(&file.path, e);
    let mut reader = open_text(&file.source, file.compression, 0, None)?;
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        let (read, too_long) =
            read_line_capped(&mut reader, &mut line, max_record_bytes).map_err(io_error)?;
        if read == 0 {
            return Ok(());
        }
        number += 1;
        let position = Position::Line(number);
        let parsed = if too_long {
            Some(Parsed::Malformed(too_long_reason(read, max_record_bytes)))
        } else {
            let terminated = line.ends_with(b"\n");
            let mut text = line.strip_suffix(b"\n").unwrap_or(&line);
            text = text.strip_suffix(b"\r").unwrap_or(text);
            if number == 1 {
                text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
            }
            if text.trim_ascii().is_empty() {
                None
            } else {
                line_fn(text, terminated, number)
            }
        };
        if let Some(parsed) = parsed
            && !each(position, parsed)?
        {
            return Ok(());
        }
    }
}

/// Reads a JSON-lines file, mapping each object with `map`.
pub(super) fn read_json_lines(
    file: &SourceFile,
    max_record_bytes: u64,
    map: MapJson,
    each: &mut EachRecord<'_>,
) -> Result<()> {
    read_lines(
        file,
        max_record_bytes,
        &mut |text, terminated, number| {
            Some(match serde_json::from_slice::<Value>(text) {
                Ok(Value::Object(object)) => map(&object, number),
                Ok(_) => Parsed::Malformed("not a JSON object".to_string()),
                Err(_) if !terminated => Parsed::IncompleteTail,
                Err(error) => Parsed::Malformed(format!("invalid JSON: {error}")),
            })
        },
        each,
    )
}

/// What the `#` lines of a Zeek TSV log said so far.
#[derive(Debug)]
struct ZeekHeader {
    separator: Vec<u8>,
    set_separator: Vec<u8>,
    empty_field: Vec<u8>,
    unset_field: Vec<u8>,
    path: Option<String>,
    fields: Vec<String>,
    types: Vec<String>,
}

impl Default for ZeekHeader {
    fn default() -> Self {
        ZeekHeader {
            separator: b"\t".to_vec(),
            set_separator: b",".to_vec(),
            empty_field: b"(empty)".to_vec(),
            unset_field: b"-".to_vec(),
            path: None,
            fields: Vec::new(),
            types: Vec::new(),
        }
    }
}

impl ZeekHeader {
    /// Takes one `#` line. A log concatenated after another starts again with `#separator`.
    fn directive(&mut self, line: &[u8]) {
        if let Some(value) = line.strip_prefix(b"#separator ") {
            *self = ZeekHeader {
                separator: unescape(value),
                ..ZeekHeader::default()
            };
            return;
        }
        let mut parts = split(&line[1..], &self.separator);
        let name = parts.next().unwrap_or_default();
        let values: Vec<&[u8]> = parts.collect();
        let first = || values.first().copied().unwrap_or_default().to_vec();
        let texts = || {
            values
                .iter()
                .map(|v| String::from_utf8_lossy(v).into_owned())
                .collect()
        };
        match name {
            b"set_separator" => self.set_separator = first(),
            b"empty_field" => self.empty_field = first(),
            b"unset_field" => self.unset_field = first(),
            b"path" => self.path = Some(String::from_utf8_lossy(&first()).into_owned()),
            b"fields" => self.fields = texts(),
            b"types" => self.types = texts(),
            // `#open`, `#close` and comments say nothing about the records.
            _ => {}
        }
    }

    /// A record line as the JSON object Zeek's JSON writer would give for it: unset fields left out,
    /// booleans and counts typed, sets and vectors as arrays.
    fn record(&self, line: &[u8]) -> std::result::Result<Map<String, Value>, String> {
        let values: Vec<&[u8]> = split(line, &self.separator).collect();
        if values.len() != self.fields.len() {
            return Err(format!(
                "{} fields where the #fields header names {}",
                values.len(),
                self.fields.len()
            ));
        }
        let mut object = Map::new();
        for (index, (name, raw)) in self.fields.iter().zip(values).enumerate() {
            if raw == self.unset_field.as_slice() {
                continue;
            }
            let kind = self.types.get(index).map_or("string", String::as_str);
            let text = |raw: &[u8]| String::from_utf8_lossy(&unescape(raw)).into_owned();
            let value =
                if kind.starts_with("set[") || kind.starts_with("vector[") || kind.starts_with("table[") {
                    if raw == self.empty_field.as_slice() {
                        Value::Array(Vec::new())
                    } else {
                        Value::Array(
                            split(raw, &self.set_separator)
                                .map(|item| Value::String(text(item)))
                                .collect(),
                        )
                    }
                } else if raw == self.empty_field.as_slice() {
                    Value::String(String::new())
                } else {
                    let text = text(raw);
                    match kind {
                        "bool" => match text.as_str() {
                            "T" => Value::Bool(true),
                            "F" => Value::Bool(false),
                            _ => return Err(format!("field {name}: {text:?} is not a Zeek bool (T or F)")),
                        },
                        "count" | "int" | "port" => match text.parse::<i64>() {
                            Ok(number) => Value::from(number),
                            Err(_) => return Err(format!("field {name}: {text:?} is not a whole number")),
                        },
                        _ => Value::String(text),
                    }
                };
            object.insert(name.clone(), value);
        }
        if let Some(path) = &self.path {
            object.insert("_path".to_string(), Value::String(path.clone()));
        }
        Ok(object)
    }
}

/// Reads a Zeek TSV log, mapping each record with `map`.
pub(super) fn read_zeek_tsv(
    file: &SourceFile,
    max_record_bytes: u64,
    map: MapJson,
    each: &mut EachRecord<'_>,
) -> Result<()> {
    let mut header = ZeekHeader::default();
    read_lines(
        file,
        max_record_bytes,
        &mut |text, terminated, number| {
            if text.starts_with(b"#") {
                header.directive(text);
                return None;
            }
            if header.fields.is_empty() {
                return Some(Parsed::Malformed(
                    "a record before the #fields header line".to_string(),
                ));
            }
            Some(match header.record(text) {
                Ok(object) => map(&object, number),
                Err(_) if !terminated => Parsed::IncompleteTail,
                Err(reason) => Parsed::Malformed(reason),
            })
        },
        each,
    )
}

fn split<'a>(line: &'a [u8], separator: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut rest = Some(line);
    std::iter::from_fn(move || {
        let current = rest?;
        match (!separator.is_empty())
            .then(|| memchr::memmem::find(current, separator))
            .flatten()
        {
            Some(at) => {
                rest = Some(&current[at + separator.len()..]);
                Some(&current[..at])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// Zeek's TSV writer escapes bytes as `\xNN` (separators inside values, non-printable bytes).
fn unescape(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'\\'
            && raw.get(i + 1) == Some(&b'x')
            && let Some(byte) = raw
                .get(i + 2..i + 4)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            i += 4;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeek_escapes_and_separators() {
        assert_eq!(unescape(br"\x09"), b"\t");
        assert_eq!(unescape(br"a\x2cb\x"), b"a,b\\x");
        let parts: Vec<&[u8]> = split(b"a\tb\t\tc", b"\t").collect();
        assert_eq!(parts, vec![&b"a"[..], b"b", b"", b"c"]);
    }

    #[test]
    fn zeek_records_are_typed_as_its_json_writer_types_them() {
        let mut header = ZeekHeader::default();
        for line in [
            &br"#separator \x09"[..],
            b"#path\tdns",
            b"#fields\tts\tAA\tqtype\tanswers\tTTLs\tquery\trejected",
            b"#types\ttime\tbool\tcount\tvector[string]\tvector[interval]\tstring\tbool",
        ] {
            header.directive(line);
        }
        let record = header
            .record(b"1.5\tT\t1\ta,b\t(empty)\tx\\x09y\t-")
            .expect("record parses");
        assert_eq!(
            Value::Object(record).to_string(),
            r#"{"ts":"1.5","AA":true,"qtype":1,"answers":["a","b"],"TTLs":[],"query":"x\ty","_path":"dns"}"#
        );
        assert!(header.record(b"1.5\tT").unwrap_err().contains("2 fields"));
        assert!(
            header
                .record(b"1\tyes\t1\ta\tb\tc\t-")
                .unwrap_err()
                .contains("not a Zeek bool")
        );
    }
}
