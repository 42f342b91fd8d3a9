//! Random predicate trees over adversarial records: the exact predicate implies the prefilter.

use proptest::prelude::*;
use serde_json::{Map, Value};
use torhunt_prefilter::{Condition, Encoding, Prefilter, event_hub_records, object_members};

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
        6 => (text(NEEDLE_CHARS, 5), any::<bool>()).prop_map(|(t, cs)| Condition::needle(&t, cs)),
        1 => Just(Condition::Unknown),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(Condition::all),
            prop::collection::vec(inner, 1..4).prop_map(Condition::any),
        ]
    })
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

fn spelling() -> impl Strategy<Value = Spelling> {
    prop::collection::vec(any::<u8>(), 1..64).prop_map(|choices| Spelling { choices })
}

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

    #[test]
    fn text_records_that_match_are_admitted(
        condition in condition(),
        values in prop::collection::vec(text(VALUE_CHARS, 12), 0..5),
    ) {
        let raw: String = values.concat();
        if let Some(prefilter) = Prefilter::new(condition.clone())
            && holds(&condition, &values)
        {
            prop_assert!(prefilter.admits(Encoding::Text, raw.as_bytes()));
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
}
