//! Random predicate trees over adversarial records: the exact predicate implies the prefilter.

use proptest::prelude::*;
use serde_json::{Map, Value};
use torhunt_prefilter::{
    Condition, CsvCandidates, Edge, Encoding, MembersNamed, Prefilter, event_hub_records, object_members,
};

use crate::reference::{holds, json_values};

/// Characters needles are made of: letters with Unicode case hazards (i, k), JSON-special and
/// CSV-special characters, number characters and structural characters.
const NEEDLE_CHARS: &[char] = &[
    't', 'O', 'r', 'i', 'K', 'k', 'I', 'e', 'E', '.', '/', '\\', '"', ',', ':', '1', '0', '-', ' ', '\n', '{',
];

/// Characters values are made of: the needle characters plus their non-ASCII look-alikes.
const VALUE_CHARS: &[char] = &[
    't', 'T', 'o', 'O', 'r', 'R', 'i', 'I', 'k', 'K', 'e', 'E', '.', '/', '\\', '"', ',', ':', '1', '0', '-',
    ' ', '\n', '\r', '\t', '\u{1f}', '{', '}', '[', ']', '\u{130}', '\u{212a}', '\u{131}', 'é', '😀', 'u',
    'n', 'a',
];

fn text(chars: &'static [char], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(chars), 0..max).prop_map(|c| c.into_iter().collect())
}

fn condition() -> impl Strategy<Value = Condition> {
    let leaf = prop_oneof![
        6 => (text(NEEDLE_CHARS, 5), any::<bool>(), edge(), edge())
            .prop_map(|(t, cs, start, end)| Condition::placed_needle(&t, cs, start, end)),
        1 => Just(Condition::Unknown),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(Condition::all),
            prop::collection::vec(inner, 1..4).prop_map(Condition::any),
        ]
    })
}

fn edge() -> impl Strategy<Value = Edge> {
    prop::sample::select(vec![Edge::Free, Edge::Term, Edge::Value])
}

/// A JSON value of a string column: mostly strings, sometimes what a careless writer puts there.
fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        8 => text(VALUE_CHARS, 12).prop_map(Value::String),
        1 => prop::sample::select(vec![0.5, 100.0, 1e21, -0.0, 1.5e-7]).prop_map(Value::from),
        1 => (-20i64..20).prop_map(Value::from),
        1 => prop::collection::vec(text(VALUE_CHARS, 6).prop_map(Value::String), 0..3).prop_map(Value::Array),
        1 => (text(VALUE_CHARS, 4), text(VALUE_CHARS, 4))
            .prop_map(|(k, v)| Value::Object(Map::from_iter([(k, Value::String(v))]))),
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
    ]
}

fn record() -> impl Strategy<Value = Value> {
    prop::collection::vec((text(VALUE_CHARS, 6), value()), 0..5)
        .prop_map(|fields| Value::Object(fields.into_iter().collect()))
}

/// How a writer spells each character of a JSON string (escape choices made by `choices`).
#[derive(Debug, Clone)]
struct Spelling {
    choices: Vec<u8>,
}

impl Spelling {
    fn choice(&self, at: &mut usize) -> u8 {
        let c = self
            .choices
            .get(*at % self.choices.len().max(1))
            .copied()
            .unwrap_or(0);
        *at += 1;
        c
    }

    /// Writes `value` as JSON, escaping string characters (keys too) in every legal way: raw, `\uXXXX`
    /// in lower or upper hex (surrogate pairs beyond the BMP), short escapes, `\/`; and numbers in
    /// exponent form when the choice says so.
    fn write(&self, value: &Value, at: &mut usize, out: &mut String) {
        match value {
            Value::String(s) => self.string(s, at, out),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(if self.choice(at).is_multiple_of(2) {
                            ","
                        } else {
                            " , "
                        });
                    }
                    self.write(item, at, out);
                }
                out.push(']');
            }
            Value::Object(map) => {
                out.push('{');
                for (i, (key, item)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.string(key, at, out);
                    out.push_str(if self.choice(at).is_multiple_of(2) {
                        ":"
                    } else {
                        " : "
                    });
                    self.write(item, at, out);
                }
                out.push('}');
            }
            Value::Number(n) => match (n.as_i64(), self.choice(at) % 3) {
                (Some(i), 0) => out.push_str(&format!("{i}E0")),
                (Some(i), 1) => out.push_str(&format!("{i}.000")),
                _ => out.push_str(&n.to_string()),
            },
            other => out.push_str(&other.to_string()),
        }
    }

    fn string(&self, s: &str, at: &mut usize, out: &mut String) {
        out.push('"');
        for c in s.chars() {
            let choice = self.choice(at);
            let must_escape = c == '"' || c == '\\' || (c as u32) < 0x20;
            match choice % 4 {
                0 if !must_escape => out.push(c),
                1 | 2 => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        if choice % 4 == 1 {
                            out.push_str(&format!("\\u{unit:04x}"));
                        } else {
                            out.push_str(&format!("\\u{unit:04X}"));
                        }
                    }
                }
                _ if c == '/' => out.push_str("\\/"),
                _ => {
                    let quoted = serde_json::to_string(&c.to_string()).unwrap();
                    out.push_str(&quoted[1..quoted.len() - 1]);
                }
            }
        }
        out.push('"');
    }
}

/// A record whose keys are often a searched name (or a prefix of one), nested at any depth.
fn named_record() -> impl Strategy<Value = Value> {
    let key =
        prop::sample::select(vec!["time", "Timestamp", "Tim", "Time", "x", "tim e"]).prop_map(str::to_string);
    let leaf = value();
    leaf.prop_recursive(3, 16, 4, move |inner| {
        prop_oneof![
            prop::collection::vec((key.clone(), inner.clone()), 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            prop::collection::vec(inner, 0..3).prop_map(Value::Array),
        ]
    })
    .prop_map(|value| Value::Object(Map::from_iter([("r".to_string(), value)])))
}

/// The members named one of `names` in `value` at any depth, in document order: (name's index, value
/// as JSON text).
fn members_of(value: &Value, names: &[&str], out: &mut Vec<(usize, String)>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                if let Some(name) = names.iter().position(|n| n == key) {
                    out.push((name, item.to_string()));
                }
                members_of(item, names, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| members_of(item, names, out)),
        _ => {}
    }
}

fn spelling() -> impl Strategy<Value = Spelling> {
    prop::collection::vec(any::<u8>(), 1..64).prop_map(|choices| Spelling { choices })
}

/// A needle and a value built around it (its case flipped where `flips` says, a few characters on
/// either side), so that placement at term and value edges is tested often, not by chance.
fn needle_in_value() -> impl Strategy<Value = (String, bool, Edge, Edge, String)> {
    (
        text(NEEDLE_CHARS, 5),
        any::<bool>(),
        edge(),
        edge(),
        text(VALUE_CHARS, 3),
        text(VALUE_CHARS, 3),
        any::<u64>(),
    )
        .prop_map(|(needle, cs, start, end, left, right, flips)| {
            let middle: String = needle
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if flips >> (i % 64) & 1 == 1 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            (needle, cs, start, end, format!("{left}{middle}{right}"))
        })
}

/// Characters of needles that only `\u` escapes can hide (no short escape stands for one): the kernel
/// then searches the escapes in its needle pass.
const LETTER_NEEDLE_CHARS: &[char] = &[
    't', 'O', 'r', 'i', 'K', 'k', 'I', 'e', 'E', '.', '1', '-', 'a', 'Z',
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn json_records_that_match_are_admitted(condition in condition(), record in record(), spelling in spelling()) {
        let mut raw = String::new();
        spelling.write(&record, &mut 0, &mut raw);
        // The writer's text must mean the record (the reference reads what the reader would).
        let parsed: Value = serde_json::from_str(&raw).expect("the spelling is valid JSON");
        let values = json_values(&parsed);
        if let Some(prefilter) = Prefilter::new(condition.clone())
            && holds(&condition, &values)
        {
            prop_assert!(prefilter.admits(Encoding::Json, raw.as_bytes()), "{condition} must admit {raw}");
        }
    }

    #[test]
    fn event_hub_messages_that_match_are_admitted(
        condition in condition(),
        records in prop::collection::vec(record(), 1..4),
        spelling in spelling(),
    ) {
        let message = Value::Object(Map::from_iter([(
            "records".to_string(),
            Value::Array(records.into_iter().map(|r| Value::Object(Map::from_iter([("properties".to_string(), r)]))).collect()),
        )]));
        let mut raw = String::new();
        spelling.write(&message, &mut 0, &mut raw);
        let parsed: Value = serde_json::from_str(&raw).expect("valid JSON");
        let prefilter = Prefilter::new(condition.clone());
        if let Some(prefilter) = &prefilter
            && holds(&condition, &json_values(&parsed))
        {
            prop_assert!(prefilter.admits(Encoding::Json, raw.as_bytes()));
        }
        // Record by record: the split finds each record, and a matching record is admitted alone.
        if let Some(ranges) = event_hub_records(raw.as_bytes()) {
            let records = parsed["records"].as_array().expect("records");
            prop_assert_eq!(ranges.len(), records.len());
            for (range, record) in ranges.into_iter().zip(records) {
                let alone: Value = serde_json::from_str(&raw[range.clone()]).expect("a whole record");
                prop_assert_eq!(&alone, record);
                if let Some(prefilter) = &prefilter
                    && holds(&condition, &json_values(record))
                {
                    prop_assert!(prefilter.admits(Encoding::Json, &raw.as_bytes()[range]));
                }
            }
        } else {
            // Only an escaped `records` key makes a writer's message unsplittable.
            let plain_key = raw.starts_with(r#"{"records""#);
            prop_assert!(!plain_key, "unsplit: {}", raw);
        }
    }

    /// A text of whole lines is admitted whenever one of its lines is, and no line before where it is
    /// admitted from is: the Event Hub reader tests a block of messages at once, passes the lines
    /// before that point over and reads the next on its own. Frequent words move the piece of each
    /// needle searched first, so occurrences are found by pieces at any offset.
    #[test]
    fn lines_before_where_a_block_is_admitted_are_rejected(
        condition in condition(),
        records in prop::collection::vec((record(), spelling(), prop::sample::select(vec!["\n", "\r\n", "\n \n"])), 1..6),
        frequent in prop::collection::vec(text(NEEDLE_CHARS, 4), 0..3),
    ) {
        let frequent: Vec<&'static str> = frequent.into_iter().map(|w| &*Box::leak(w.into_boxed_str())).collect();
        let frequent: &'static [&'static str] = Box::leak(frequent.into_boxed_slice());
        let Some(prefilter) = Prefilter::new(condition.clone()).map(|p| p.with_frequent_words(frequent)) else {
            return Ok(());
        };
        let mut block = String::new();
        let mut lines = Vec::new();
        for (record, spelling, end) in &records {
            let mut raw = String::new();
            spelling.write(record, &mut 0, &mut raw);
            block.push_str(&raw);
            let line_break = block.len() + end.find('\n').expect("a line break");
            block.push_str(end);
            lines.push((raw, line_break));
        }
        let admitted_from = prefilter.admitted_from(Encoding::Json, block.as_bytes());
        prop_assert_eq!(admitted_from.is_some(), prefilter.admits(Encoding::Json, block.as_bytes()));
        for (line, line_break) in &lines {
            let admitted = prefilter.admits(Encoding::Json, line.as_bytes());
            prop_assert!(
                !admitted || admitted_from.is_some_and(|at| *line_break >= at),
                "{condition} admits the line {line:?} (ending at {line_break}) but its block {block:?} is admitted from {admitted_from:?}"
            );
        }
    }

    /// Up to a dozen needles (past slim Teddy's eight buckets too), one of them in a value in any
    /// case and spelling, searched by the pieces random frequent words leave: the record is admitted
    /// whenever it matches.
    #[test]
    fn a_needle_among_many_is_found_in_any_case_and_spelling(
        needles in prop::collection::vec((text(LETTER_NEEDLE_CHARS, 6), any::<bool>()), 1..12),
        pick in any::<prop::sample::Index>(),
        flips in any::<u64>(),
        (left, right) in (text(VALUE_CHARS, 3), text(VALUE_CHARS, 3)),
        other in value(),
        spelling in spelling(),
        frequent in prop::collection::vec(text(LETTER_NEEDLE_CHARS, 5), 0..4),
    ) {
        let condition = Condition::any(needles.iter().map(|(text, cs)| Condition::needle(text, *cs)));
        // The frequent words only choose the piece of each needle searched first.
        let frequent: Vec<&'static str> = frequent.into_iter().map(|w| &*Box::leak(w.into_boxed_str())).collect();
        let frequent: &'static [&'static str] = Box::leak(frequent.into_boxed_slice());
        let (needle, _) = &needles[pick.index(needles.len())];
        let flipped: String = needle
            .chars()
            .enumerate()
            .map(|(i, c)| if flips >> (i % 64) & 1 == 1 { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
            .collect();
        let record = Value::Object(Map::from_iter([
            ("a".to_string(), Value::String(format!("{left}{flipped}{right}"))),
            ("b".to_string(), other),
        ]));
        let mut raw = String::new();
        spelling.write(&record, &mut 0, &mut raw);
        let parsed: Value = serde_json::from_str(&raw).expect("valid JSON");
        if let Some(prefilter) = Prefilter::new(condition.clone()).map(|p| p.with_frequent_words(frequent))
            && holds(&condition, &json_values(&parsed))
        {
            prop_assert!(prefilter.admits(Encoding::Json, raw.as_bytes()), "{condition} must admit {raw}");
        }
    }

    #[test]
    fn text_records_that_match_are_admitted(
        condition in condition(),
        values in prop::collection::vec(text(VALUE_CHARS, 12), 0..5),
    ) {
        let raw: String = values.concat();
        let edges: Vec<usize> = values
            .iter()
            .scan(0, |end, value| {
                *end += value.len();
                Some(*end)
            })
            .collect();
        let is_edge = |at: usize| at == 0 || edges.contains(&at);
        if let Some(prefilter) = Prefilter::new(condition.clone())
            && holds(&condition, &values)
        {
            prop_assert!(prefilter.admits_values(raw.as_bytes(), &is_edge), "{condition} must admit {values:?}");
        }
    }

    #[test]
    fn placed_needles_that_match_are_admitted(
        (needle, cs, start, end, value) in needle_in_value(),
        other in value(),
        spelling in spelling(),
        split in 0usize..16,
    ) {
        let condition = Condition::placed_needle(&needle, cs, start, end);
        let Some(prefilter) = Prefilter::new(condition.clone()) else {
            return Ok(());
        };
        let record = Value::Object(Map::from_iter([
            ("k".to_string(), Value::String(value.clone())),
            ("o".to_string(), other),
        ]));
        let mut raw = String::new();
        spelling.write(&record, &mut 0, &mut raw);
        let parsed: Value = serde_json::from_str(&raw).expect("valid JSON");
        if holds(&condition, &json_values(&parsed)) {
            prop_assert!(prefilter.admits(Encoding::Json, raw.as_bytes()), "{condition} must admit {raw}");
        }
        // The same value as CSV fields: whole, or cut in two at a character boundary.
        let cut = value.char_indices().map(|(at, _)| at).nth(split).unwrap_or(value.len());
        let values = [value[..cut].to_string(), value[cut..].to_string()];
        let is_edge = |at: usize| [0, cut, value.len()].contains(&at);
        if holds(&condition, &values) {
            prop_assert!(prefilter.admits_values(value.as_bytes(), &is_edge), "{condition} must admit {values:?}");
        }
    }

    /// In CSV text as a writer quotes it (only where needed, or every value; LF or CRLF), every record
    /// that matches holds a candidate.
    #[test]
    fn csv_records_that_match_hold_a_candidate(
        rows in prop::collection::vec((needle_in_value(), text(VALUE_CHARS, 6)), 1..6),
        condition in condition(),
        quote_all in any::<bool>(),
        crlf in any::<bool>(),
    ) {
        let mut writer = csv::WriterBuilder::new()
            .quote_style(if quote_all { csv::QuoteStyle::Always } else { csv::QuoteStyle::Necessary })
            .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
            .from_writer(Vec::new());
        let mut ends = Vec::new();
        let mut values = Vec::new();
        for ((_, _, _, _, built), other) in &rows {
            writer.write_record([built, other]).unwrap();
            writer.flush().unwrap();
            ends.push(writer.get_ref().len());
            values.push(vec![built.clone(), other.clone()]);
        }
        let text = writer.into_inner().unwrap();
        // Half the time the condition is one of the rows' own needles, so matches are common.
        let (needle, cs, start, end, _) = &rows[0].0;
        let condition = if quote_all { Condition::placed_needle(needle, *cs, *start, *end) } else { condition };
        let Some(prefilter) = Prefilter::new(condition.clone()) else {
            return Ok(());
        };
        let candidates = prefilter.csv_candidates(&text);
        for (record, values) in values.iter().enumerate() {
            if !holds(&condition, values) {
                continue;
            }
            let start = record.checked_sub(1).map_or(0, |r| ends[r]);
            let candidate = match &candidates {
                CsvCandidates::All => true,
                CsvCandidates::At(positions) => positions.iter().any(|&at| (start..ends[record]).contains(&at)),
            };
            prop_assert!(
                candidate,
                "{condition}: record {record} {values:?} has no candidate in {candidates:?}: {:?}", String::from_utf8_lossy(&text)
            );
        }
    }

    /// In untidy CSV text (quotes anywhere: text after a closing quote, quotes inside unquoted values,
    /// unclosed quotes; stray `\r`), every record the csv crate reads whose values match holds a
    /// candidate.
    #[test]
    fn untidy_csv_records_that_match_hold_a_candidate(
        (needle, cs, start, end, _) in needle_in_value(),
        pieces in prop::collection::vec(prop_oneof![
            4 => text(VALUE_CHARS, 4),
            2 => Just("\"".to_string()),
            1 => Just("\"\"".to_string()),
            2 => Just(",".to_string()),
            1 => Just("\n".to_string()),
            1 => Just("\r\n".to_string()),
            1 => Just("\r".to_string()),
        ], 0..24),
        cut in 0usize..8,
        at in 0usize..24,
    ) {
        // The needle goes in whole or cut by a quote, so quotes join its halves as often as not.
        let mut pieces = pieces;
        let cut = needle.char_indices().map(|(at, _)| at).nth(cut).unwrap_or(needle.len());
        let placed = [needle[..cut].to_string(), "\"".to_string(), needle[cut..].to_string()];
        let at = at.min(pieces.len());
        pieces.splice(at..at, placed);
        let text = pieces.concat();
        let condition = Condition::placed_needle(&needle, cs, start, end);
        let Some(prefilter) = Prefilter::new(condition.clone()) else {
            return Ok(());
        };
        let candidates = prefilter.csv_candidates(text.as_bytes());
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(text.as_bytes());
        let mut row = csv::StringRecord::new();
        let mut record_start = 0;
        while reader.read_record(&mut row).expect("the csv crate reads any text") {
            let record_end = reader.position().byte() as usize;
            // The last value without the `\r` of a CRLF line end, as torhunt's reader takes it.
            let mut values: Vec<String> = row.iter().map(str::to_string).collect();
            if let Some(last) = values.last_mut()
                && last.ends_with('\r')
            {
                last.pop();
            }
            if holds(&condition, &values) {
                let candidate = match &candidates {
                    CsvCandidates::All => true,
                    CsvCandidates::At(positions) => positions.iter().any(|&at| (record_start..record_end).contains(&at)),
                };
                prop_assert!(candidate, "{condition}: {values:?} has no candidate in {candidates:?}: {text:?}");
            }
            record_start = record_end;
        }
    }

    /// The test is not vacuous: a record holding no needle character at all, with no escapes, is
    /// rejected by a condition of plain letters.
    #[test]
    fn records_without_the_needles_are_skipped(needle in "[a-z]{3,6}", filler in "[0-9 ,.:]{0,40}") {
        let prefilter = Prefilter::new(Condition::needle(&needle, false)).unwrap();
        let raw = format!(r#"{{"a":"{filler}","b":"C:\\Windows\\x"}}"#);
        let expected = raw.to_ascii_lowercase().contains(&needle);
        prop_assert_eq!(prefilter.admits(Encoding::Json, raw.as_bytes()), expected);
    }

    /// Placement is not vacuous either: a needle found only inside a longer term, or not at a value's
    /// edge, is rejected where nothing could hide the edge.
    #[test]
    fn misplaced_needles_are_skipped(needle in "[a-z]{3,6}", before in "[0-9]{1,3}", after in "[0-9]{1,3}") {
        let inside = format!(r#"{{"a":"x.{before}{needle}{after}.y","b":1}}"#);
        let at_start = format!(r#"{{"a":"{needle}{after}.y"}}"#);
        let has = |start, end| Prefilter::new(Condition::placed_needle(&needle, false, start, end)).unwrap();
        prop_assert!(!has(Edge::Term, Edge::Term).admits(Encoding::Json, inside.as_bytes()));
        prop_assert!(!has(Edge::Term, Edge::Free).admits(Encoding::Json, inside.as_bytes()));
        prop_assert!(!has(Edge::Free, Edge::Term).admits(Encoding::Json, inside.as_bytes()));
        prop_assert!(has(Edge::Free, Edge::Free).admits(Encoding::Json, inside.as_bytes()));
        prop_assert!(has(Edge::Value, Edge::Free).admits(Encoding::Json, at_start.as_bytes()));
        prop_assert!(!has(Edge::Value, Edge::Value).admits(Encoding::Json, at_start.as_bytes()));
        let values = [format!("{before}{needle}"), format!("{needle}{after}")];
        let raw = values.concat();
        let is_edge = |at: usize| [0, values[0].len(), raw.len()].contains(&at);
        prop_assert!(!has(Edge::Value, Edge::Value).admits_values(raw.as_bytes(), &is_edge));
        prop_assert!(has(Edge::Value, Edge::Free).admits_values(raw.as_bytes(), &is_edge));
        prop_assert!(has(Edge::Free, Edge::Value).admits_values(raw.as_bytes(), &is_edge));
    }

    /// Members located without parsing are the members a JSON parser finds, whatever the escapes;
    /// without escapes there is no doubt (a writer's object has no repeated keys).
    #[test]
    fn object_members_are_the_parsers(record in record(), spelling in spelling(), other in text(VALUE_CHARS, 6)) {
        let mut raw = String::new();
        spelling.write(&record, &mut 0, &mut raw);
        let parsed: Value = serde_json::from_str(&raw).expect("valid JSON");
        let map = parsed.as_object().expect("an object");
        let first = map.keys().next().cloned().unwrap_or_default();
        let last = map.keys().next_back().cloned().filter(|k| *k != first).unwrap_or_else(|| "absent".into());
        let other = if other == first || other == last { "also absent".to_string() } else { other };
        let keys = [first.as_str(), last.as_str(), other.as_str()];
        match object_members(raw.as_bytes(), keys) {
            Some(found) => {
                for (key, value) in keys.into_iter().zip(found) {
                    let value: Option<Value> = value.map(|v| serde_json::from_slice(v).expect("a whole value"));
                    prop_assert_eq!(value.as_ref(), map.get(key), "{} in {}", key, raw);
                }
            }
            None => prop_assert!(raw.contains('\\'), "doubt without an escape: {}", raw),
        }
    }

    /// Members named one of a few names, found in one pass at any depth, are every member of those
    /// names a JSON parser finds, whatever the escapes (any doubt comes from a `\u` escape), and
    /// nothing else.
    #[test]
    fn members_named_are_the_parsers(record in named_record(), spelling in spelling()) {
        let names = ["time", "Timestamp", "Tim"];
        let finder = MembersNamed::new(&names).expect("plain names");
        let mut raw = String::new();
        spelling.write(&record, &mut 0, &mut raw);
        let parsed: Value = serde_json::from_str(&raw).expect("valid JSON");
        let mut expected = Vec::new();
        members_of(&parsed, &names, &mut expected);
        let mut seen = Vec::new();
        let found = finder.each(raw.as_bytes(), |name, value| {
            seen.push((name, serde_json::from_slice::<Value>(value).expect("a whole value").to_string()));
            false
        });
        match found {
            Some(found) => {
                prop_assert!(!found);
                prop_assert_eq!(seen, expected, "{}", raw);
            }
            None => prop_assert!(raw.contains("\\u"), "doubt without an escape: {}", raw),
        }
    }
}
