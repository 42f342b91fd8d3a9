//! Line-delimited JSON layouts: Streaming API (Event Hub messages and Storage records) and flat NDJSON.
//!
//! Values are decoded straight from the line text: keys the scan does not need are skipped without
//! building values (projection pushdown), integers keep serde_json's exact `i64` path.
//!
//! One truth per record: whether a line is valid does not depend on the columns a query reads.
//! Skipped values are still checked as JSON ([`Checked`]: valid UTF-8, nesting within serde_json's
//! 128 levels), so `count` and a query reading `AdditionalFields` skip the same records. A line longer
//! than the record limit is skipped without being held in memory.

use std::fmt;
use std::ops::Range;
use torhunt_storage::ByteSource;

use std::borrow::Cow;

use kql_types::INGESTION_TIME_COLUMN;
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use torhunt_prefilter::{event_hub_records, object_members, plain_string};

use super::{RecordSink, too_long_reason};
use crate::assemble::{JsonShape, Lookup, Routing, RowAssembler, RowOutcome};
use crate::error::{Result, SourceError};
use crate::format::{Compression, Format, open_lines};
use crate::report::Position;
use crate::schema::{TENANT_ID, TIME_GENERATED};

/// `category` values are `AdvancedHunting-<Table>`.
const CATEGORY_PREFIX: &str = "AdvancedHunting-";

pub(crate) fn table_of_category(category: &str) -> &str {
    category.strip_prefix(CATEGORY_PREFIX).unwrap_or(category)
}

/// Reads the lines of `source` whose first byte lies in `range` (the whole file when `None`), each line
/// for every sink still taking records.
pub(super) fn read(
    sinks: &mut [RecordSink<'_>],
    format: Format,
    source: &ByteSource,
    compression: Compression,
    range: Option<Range<u64>>,
) -> Result<()> {
    let io_error = |e| SourceError::io(source.name(), e);
    let Some(max) = sinks.first().map(RecordSink::max_record_bytes) else {
        return Ok(());
    };
    let start = range.as_ref().map_or(0, |r| r.start);
    // A range owns the lines that start inside it: finish the line that straddles its start first.
    let mut offset = start.saturating_sub(1);
    let mut reader = open_lines(source, compression, offset, range.as_ref().map(|r| r.end))?;
    if start > 0 {
        offset += reader
            .next_line(0)
            .map_err(io_error)?
            .map_or(0, |line| line.bytes);
    }
    let mut line_number = 0u64;
    let mut outcomes = Vec::new();
    // A scan of one table tests blocks of whole Event Hub messages at once, before finding each
    // message's end (see `LineReader::pass_rejected_block`): the messages before the first that may
    // match are passed over, and that one is read and tested on its own before the next block is.
    let mut test_block = true;
    while sinks.iter().any(RecordSink::active) {
        if range.as_ref().is_some_and(|r| offset >= r.end) {
            break;
        }
        if matches!(format, Format::EventHubJson)
            && line_number > 0
            && std::mem::replace(&mut test_block, true)
            && let [sink] = &mut *sinks
        {
            let passed = reader
                .pass_rejected_block(max, |block| sink.messages_admitted_from(block))
                .map_err(io_error)?;
            if let Some(passed) = passed {
                sink.note_unparsed_messages(passed.lines - passed.blank);
                (offset, line_number) = (offset + passed.bytes, line_number + passed.lines);
                test_block = !passed.next_admitted;
                continue;
            }
        }
        let line_start = offset;
        let Some(line) = reader.next_line(max).map_err(io_error)? else {
            break;
        };
        let (read, too_long, capacity) = (line.bytes, line.too_long, line.held);
        offset += read;
        line_number += 1;
        let position = if start == 0 {
            Position::Line(line_number)
        } else {
            Position::ByteOffset(line_start)
        };
        let terminated = too_long || line.text.ends_with(b"\n");
        let mut text = line.text.strip_suffix(b"\n").unwrap_or(line.text);
        text = text.strip_suffix(b"\r").unwrap_or(text);
        if line_number == 1 && start == 0 {
            text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
        }
        // A pass for several tables splits a message into records once, and each table parses only
        // the records that may be its own.
        let routed = match format {
            Format::EventHubJson if !too_long && sinks.iter().filter(|s| s.active()).nth(1).is_some() => {
                route_message(text)
            }
            _ => None,
        };
        let read_line = Line {
            capacity,
            bytes: read,
            too_long,
            text,
            terminated,
            position,
        };
        for sink in sinks.iter_mut().filter(|sink| sink.active()) {
            let taken = take_line(sink, format, &read_line, routed.as_ref(), &mut outcomes);
            sink.settle(taken)?;
        }
    }
    reader.check().map_err(io_error)
}

/// The records of a valid Event Hub message, with the table each names for sure.
struct Routed<'a> {
    records: Vec<Range<usize>>,
    /// Per record, the table its `category` names, when that is certain: a plain string member given
    /// once, before `properties` (a parser reading `properties` first decodes it as the record's own
    /// columns, which can fail where skipping it does not).
    tables: Vec<Option<&'a str>>,
}

/// The records of an Event Hub message and their tables, when the whole line is valid JSON (so a
/// table skipping another table's records without parsing them misses no syntax error that would
/// have dropped the message); `None` otherwise, and each table reads the line as on its own.
fn route_message(text: &[u8]) -> Option<Routed<'_>> {
    let records = event_hub_records(text)?;
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    Checked::deserialize(&mut deserializer)
        .and_then(|_| deserializer.end())
        .ok()?;
    let tables = records
        .iter()
        .map(|range| {
            let [category, properties] = object_members(&text[range.clone()], ["category", "properties"])?;
            let category = category?;
            if properties.is_some_and(|p| p.as_ptr() < category.as_ptr()) {
                return None;
            }
            plain_string(category).map(table_of_category)
        })
        .collect();
    Some(Routed { records, tables })
}

/// A line as read, handed to each sink.
struct Line<'a> {
    /// The line buffer's capacity, held by each sink while it reads the line.
    capacity: usize,
    /// Bytes the line took in the file.
    bytes: u64,
    /// Longer than the record limit: `text` is only its start.
    too_long: bool,
    text: &'a [u8],
    /// Whether it ended with a line break (else it is the file's last line).
    terminated: bool,
    position: Position,
}

/// Reads one line's records into one sink.
fn take_line(
    sink: &mut RecordSink<'_>,
    format: Format,
    line: &Line<'_>,
    routed: Option<&Routed<'_>>,
    outcomes: &mut Vec<RowOutcome>,
) -> Result<()> {
    let (position, text) = (line.position, line.text);
    sink.hold(line.capacity)?;
    if line.too_long {
        return sink.malformed_line(position, too_long_reason(line.bytes, sink.max_record_bytes()), 1);
    }
    if text.trim_ascii().is_empty() {
        return Ok(());
    }
    // A message none of whose records can match is skipped unsplit.
    if matches!(format, Format::EventHubJson)
        && sink.assembler.spec().tests_raw_records()
        && !sink.message_may_match(text)
    {
        return Ok(());
    }
    outcomes.clear();
    let mut in_records = false;
    let shape = match format {
        Format::EventHubJson => JsonShape::Message,
        Format::StorageJson => JsonShape::Envelope,
        _ => JsonShape::Columns,
    };
    // A routed message decodes as the whole message would (it is valid JSON); a record that still
    // fails (an array element that is not an object) leaves the line to the usual path, whose error
    // tells where the message broke.
    let routed_unparsed = routed.and_then(|routed| {
        let tables = Some(routed.tables.as_slice());
        let decoded = decode_records(&mut sink.assembler, text, &routed.records, tables, outcomes);
        decoded.inspect_err(|_| outcomes.clear()).ok()
    });
    // Otherwise each record of a message is tested alone, and only those that may match are parsed.
    let records = match format {
        Format::EventHubJson if routed_unparsed.is_none() && sink.assembler.spec().tests_raw_records() => {
            event_hub_records(text)
        }
        _ => None,
    };
    let decoded = match (routed_unparsed, records) {
        (Some(unparsed), _) => {
            sink.note_unparsed(unparsed);
            Ok(())
        }
        // A message broken in a record it read is read whole again for the error: the reason then
        // tells where the message broke, as every table's scan reports it, split or not.
        (None, Some(records)) => decode_records(&mut sink.assembler, text, &records, None, outcomes)
            .map(|unparsed| sink.note_unparsed(unparsed))
            .or_else(|_| {
                outcomes.clear();
                decode_line(&mut sink.assembler, format, text, outcomes, &mut in_records)
            }),
        (None, None) if !sink.admits_json(text, shape) => return Ok(()),
        (None, None) => decode_line(&mut sink.assembler, format, text, outcomes, &mut in_records),
    };
    match decoded {
        Ok(()) => {
            let several = outcomes.len() > 1;
            for (index, outcome) in outcomes.drain(..).enumerate() {
                let outcome = match outcome {
                    RowOutcome::Malformed(reason) if several => {
                        RowOutcome::Malformed(format!("record {}: {reason}", index + 1))
                    }
                    other => other,
                };
                sink.outcome(position, outcome)?;
            }
        }
        Err(_) if !line.terminated => sink.incomplete_tail(position)?,
        Err(error) => {
            // An Event Hub message broken after some of its records is lost whole: every record
            // it held so far, and the one it broke in.
            let records = outcomes.len() as u64 + u64::from(in_records);
            let reason = match format {
                Format::EventHubJson if records > 1 => {
                    format!("invalid JSON: {error}; the message's {records} records are skipped")
                }
                _ => format!("invalid JSON: {error}"),
            };
            sink.malformed_line(position, reason, records)?;
        }
    }
    sink.maybe_flush().map(drop)
}

/// Decodes one line into the assembler, pushing what became of each record in it.
/// `in_records` tells, on an error, whether it came inside an Event Hub message's records array.
fn decode_line(
    row: &mut RowAssembler,
    format: Format,
    text: &[u8],
    outcomes: &mut Vec<RowOutcome>,
    in_records: &mut bool,
) -> serde_json::Result<()> {
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    match format {
        Format::EventHubJson => {
            // A broken message is skipped whole: its records are kept only once all of it parsed.
            row.stage();
            let parsed = MessageSeed {
                row: &mut *row,
                outcomes,
                in_records,
            }
            .deserialize(&mut deserializer)
            .and_then(|()| deserializer.end());
            match parsed {
                Ok(()) => row.commit_staged(),
                Err(error) => {
                    row.discard_staged();
                    return Err(error);
                }
            }
        }
        Format::StorageJson => {
            row.begin_row();
            let category = EnvelopeSeed { row: &mut *row }.deserialize(&mut deserializer)?;
            deserializer.end()?;
            outcomes.push(row.finish_row(category.as_deref().map(table_of_category)));
        }
        _ => {
            row.begin_row();
            ColumnsSeed { row: &mut *row }.deserialize(&mut deserializer)?;
            deserializer.end()?;
            outcomes.push(row.finish_row(None));
        }
    }
    Ok(())
}

/// Decodes the records of an Event Hub message (at `records` in `text`) that the scan's raw tests admit,
/// pushing an outcome for every record (`OtherTable` for those skipped); returns how many the raw tests
/// skipped. Records `tables` (see [`Routed`]) says are of another table of the data set are not parsed
/// either. As in [`decode_line`], a syntax error in a record read drops the whole message.
fn decode_records(
    row: &mut RowAssembler,
    text: &[u8],
    records: &[Range<usize>],
    tables: Option<&[Option<&str>]>,
    outcomes: &mut Vec<RowOutcome>,
) -> serde_json::Result<u64> {
    let mut unparsed = 0;
    row.stage();
    for (index, range) in records.iter().enumerate() {
        let record = &text[range.clone()];
        if !row.admits_json(record, JsonShape::Envelope) {
            unparsed += 1;
            outcomes.push(RowOutcome::OtherTable);
            continue;
        }
        let table = tables.and_then(|tables| tables.get(index).copied().flatten());
        if table.is_some_and(|table| row.is_other_table(table)) {
            outcomes.push(RowOutcome::OtherTable);
            continue;
        }
        row.begin_row();
        let mut deserializer = serde_json::Deserializer::from_slice(record);
        let parsed = EnvelopeSeed { row: &mut *row }
            .deserialize(&mut deserializer)
            .and_then(|category| deserializer.end().map(|()| category));
        match parsed {
            Ok(category) => outcomes.push(row.finish_row(category.as_deref().map(table_of_category))),
            Err(error) => {
                row.discard_staged();
                return Err(error);
            }
        }
    }
    row.commit_staged();
    Ok(unparsed)
}

/// An Event Hub message: `{"records": [record, ...]}`.
struct MessageSeed<'a> {
    row: &'a mut RowAssembler,
    outcomes: &'a mut Vec<RowOutcome>,
    in_records: &'a mut bool,
}

impl<'de> DeserializeSeed<'de> for MessageSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for MessageSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"an Event Hub message {"records": [...]}"#)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "records" {
                *self.in_records = true;
                map.next_value_seed(RecordsSeed {
                    row: &mut *self.row,
                    outcomes: &mut *self.outcomes,
                })?;
                *self.in_records = false;
            } else {
                map.next_value::<Checked>()?;
            }
        }
        Ok(())
    }
}

struct RecordsSeed<'a> {
    row: &'a mut RowAssembler,
    outcomes: &'a mut Vec<RowOutcome>,
}

impl<'de> DeserializeSeed<'de> for RecordsSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RecordsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of Streaming API records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            self.row.begin_row();
            match seq.next_element_seed(EnvelopeSeed { row: &mut *self.row })? {
                Some(category) => {
                    let outcome = self.row.finish_row(category.as_deref().map(table_of_category));
                    self.outcomes.push(outcome);
                }
                None => return Ok(()),
            }
        }
    }
}

/// One Streaming API record `{time, tenantId, category, properties, ...}`; yields its `category`.
struct EnvelopeSeed<'a> {
    row: &'a mut RowAssembler,
}

impl<'de> DeserializeSeed<'de> for EnvelopeSeed<'_> {
    type Value = Option<String>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<String>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for EnvelopeSeed<'_> {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Streaming API record object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<String>, A::Error> {
        let (mut category, mut time, mut tenant) = (
            None::<Cow<'de, str>>,
            None::<Cow<'de, str>>,
            None::<Cow<'de, str>>,
        );
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "category" => category = map.next_value::<Scalar<'de>>()?.into_text(),
                "time" => time = map.next_value::<Scalar<'de>>()?.into_text(),
                "tenantId" => tenant = map.next_value::<Scalar<'de>>()?.into_text(),
                "properties" => {
                    // A record of another table needs no decoding (multi-table Event Hub files).
                    let other_table = *self.row.routing() == Routing::PerRecord
                        && category
                            .as_deref()
                            .is_some_and(|c| table_of_category(c) != self.row.spec().table);
                    if other_table {
                        map.next_value::<Checked>()?;
                    } else {
                        map.next_value_seed(ColumnsSeed { row: &mut *self.row })?;
                    }
                }
                _ => {
                    map.next_value::<Checked>()?;
                }
            }
        }
        if let Some(time) = time {
            self.row.set_text_if_null(TIME_GENERATED, &time);
            self.row.set_text_if_null(INGESTION_TIME_COLUMN, &time);
        }
        if let Some(tenant) = tenant {
            self.row.set_text_if_null(TENANT_ID, &tenant);
        }
        Ok(category.map(Cow::into_owned))
    }
}

/// A flat object of columns: `properties` of a record, or an NDJSON line.
struct ColumnsSeed<'a> {
    row: &'a mut RowAssembler,
}

impl<'de> DeserializeSeed<'de> for ColumnsSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ColumnsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of columns")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut position = 0;
        while let Some((lookup, unknown_name)) = map.next_key_seed(KeySeed {
            row: &mut *self.row,
            position,
        })? {
            position += 1;
            match lookup {
                Lookup::Skip => {
                    map.next_value::<Checked>()?;
                }
                Lookup::Unknown => {
                    let value: Value = map.next_value()?;
                    let empty = value.is_null() || value.as_str().is_some_and(str::is_empty);
                    if let (false, Some(name)) = (empty, unknown_name) {
                        self.row.note_unknown(&name);
                    }
                }
                decoded => match map.next_value::<Scalar<'de>>()? {
                    Scalar::Text(text) => self.row.set_text(&decoded, &text),
                    Scalar::Other(value) => self.row.set_json(&decoded, &value),
                },
            }
        }
        Ok(())
    }
}

/// Looks a key up without allocating it (only unknown keys are kept, to be reported).
struct KeySeed<'a> {
    row: &'a mut RowAssembler,
    /// The key's position in its object.
    position: usize,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = (Lookup, Option<String>);
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = (Lookup, Option<String>);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a column name")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Self::Value, E> {
        let lookup = self.row.lookup_at(self.position, key);
        let unknown_name = (lookup == Lookup::Unknown).then(|| key.to_string());
        Ok((lookup, unknown_name))
    }
}

/// A column value: text borrowed from the line when it has no escapes (most values), anything else
/// as a JSON value.
enum Scalar<'de> {
    Text(Cow<'de, str>),
    Other(Value),
}

impl<'de> Scalar<'de> {
    fn into_text(self) -> Option<Cow<'de, str>> {
        match self {
            Scalar::Text(text) => Some(text),
            Scalar::Other(_) => None,
        }
    }
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Text(Cow::Borrowed(text)))
    }

    fn visit_str<E>(self, text: &str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Text(Cow::Owned(text.to_string())))
    }

    fn visit_string<E>(self, text: String) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Text(Cow::Owned(text)))
    }

    fn visit_bool<E>(self, value: bool) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Other(Value::Bool(value)))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Other(Value::from(value)))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Other(Value::from(value)))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Other(Value::from(value)))
    }

    fn visit_unit<E>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Other(Value::Null))
    }

    fn visit_none<E>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Other(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Scalar<'de>, A::Error> {
        Value::deserialize(serde::de::value::SeqAccessDeserializer::new(seq)).map(Scalar::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Scalar<'de>, A::Error> {
        Value::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Scalar::Other)
    }
}

/// A value skipped but checked as JSON: `deserialize_any` makes serde_json validate its strings'
/// UTF-8 and count its nesting against the recursion limit, which `IgnoredAny` does not do. So a line
/// is invalid whether or not the query reads the value that makes it so.
struct Checked;

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CheckedVisitor)
    }
}

struct CheckedVisitor;

impl<'de> Visitor<'de> for CheckedVisitor {
    type Value = Checked;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_str<E>(self, _: &str) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_unit<E>(self) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_none<E>(self) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        while map.next_key::<Checked>()?.is_some() {
            map.next_value::<Checked>()?;
        }
        Ok(Checked)
    }
}
