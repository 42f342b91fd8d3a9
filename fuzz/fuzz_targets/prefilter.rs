//! The prefilter on arbitrary bytes: whenever the exact predicate holds on a record's values, the raw
//! test admits the record (JSON records, plain text as a CSV value, and each record of the bytes read
//! as CSV holds a candidate), and an Event Hub message it splits into records splits into exactly the
//! records a JSON parser finds, and an object's members located without parsing are the ones the
//! parser finds.
//!
//! Input: a byte giving the needle count (1 to 4), then per needle a flags byte (bit 0: case-sensitive,
//! bit 1: joined to what comes before by AND instead of OR, bits 2-3 and 4-5: its start and end edge,
//! free, term or value) and a length byte (1 to 6) followed by that many bytes (taken as 7-bit ASCII),
//! then the record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use torhunt_prefilter::{
    Condition, CsvCandidates, Edge, Encoding, Prefilter, event_hub_records, object_members,
};

// The same independent reference the property tests use.
#[path = "../../crates/prefilter/tests/it/reference.rs"]
mod reference;

/// The condition the input's head describes, and the record after it.
fn split(data: &[u8]) -> Option<(Condition, &[u8])> {
    let (&count, mut rest) = data.split_first()?;
    let mut condition: Option<Condition> = None;
    for _ in 0..(count % 4 + 1) {
        let (&flags, after) = rest.split_first()?;
        let (&length, after) = after.split_first()?;
        let length = usize::from(length % 6 + 1);
        let text: String = after.get(..length)?.iter().map(|b| char::from(b & 0x7f)).collect();
        rest = &after[length..];
        let edge = |bits: u8| match bits & 3 {
            1 => Edge::Term,
            2 => Edge::Value,
            _ => Edge::Free,
        };
        let needle = Condition::placed_needle(&text, flags & 1 == 1, edge(flags >> 2), edge(flags >> 4));
        condition = Some(match condition {
            None => needle,
            Some(before) if flags & 2 == 2 => Condition::all([before, needle]),
            Some(before) => Condition::any([before, needle]),
        });
    }
    Some((condition?, rest))
}

fuzz_target!(|data: &[u8]| {
    let Some((condition, record)) = split(data) else {
        return;
    };
    let Some(prefilter) = Prefilter::new(condition.clone()) else {
        return;
    };
    if let Ok(text) = std::str::from_utf8(record)
        && reference::holds(&condition, &[text.to_string()])
    {
        assert!(prefilter.admits(Encoding::Text, record), "text record refused");
    }
    // As CSV text: every record the csv crate reads whose values match holds a candidate.
    let candidates = prefilter.csv_candidates(record);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(record);
    let mut row = csv::StringRecord::new();
    let mut start = 0;
    while let Ok(true) = reader.read_record(&mut row) {
        let end = reader.position().byte() as usize;
        // The last value without the `\r` of a CRLF line end, as the reader takes it.
        let mut values: Vec<String> = row.iter().map(str::to_string).collect();
        if let Some(last) = values.last_mut()
            && last.ends_with('\r')
        {
            last.pop();
        }
        if reference::holds(&condition, &values) {
            let held = match &candidates {
                CsvCandidates::All => true,
                CsvCandidates::At(at) => at.iter().any(|&at| (start..end).contains(&at)),
            };
            assert!(held, "CSV record without a candidate");
        }
        start = end;
    }
    let Ok(parsed) = serde_json::from_slice::<Value>(record) else {
        return;
    };
    if reference::holds(&condition, &reference::json_values(&parsed)) {
        assert!(prefilter.admits(Encoding::Json, record), "JSON record refused");
    }
    // Members located without parsing are the parser's (the time prefilter reads `Timestamp` so).
    if let (Some(object), Some(found)) = (parsed.as_object(), object_members(record, ["Timestamp", "time"])) {
        for (key, value) in ["Timestamp", "time"].into_iter().zip(found) {
            let value: Option<Value> = value.map(|v| serde_json::from_slice(v).expect("a whole value"));
            assert_eq!(value.as_ref(), object.get(key), "member {key}");
        }
    }
    if let Some(ranges) = event_hub_records(record) {
        let records = parsed["records"].as_array().expect("a split message has records");
        assert_eq!(ranges.len(), records.len());
        for (range, whole) in ranges.into_iter().zip(records) {
            let alone: Value = serde_json::from_slice(&record[range.clone()]).expect("a whole record");
            assert_eq!(&alone, whole);
            if reference::holds(&condition, &reference::json_values(whole)) {
                assert!(prefilter.admits(Encoding::Json, &record[range]), "record of a message refused");
            }
        }
    }
});
