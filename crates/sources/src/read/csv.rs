//! CSV exports: the Advanced Hunting portal's and Sentinel's (RFC 4180 quoting, CRLF, empty = null).

use std::io::{BufRead, Read};

use csv::ByteRecord;

use super::csv_skip::{KeyField, SkipUnmatched};
use super::{FileSlice, RecordSink};
use crate::assemble::{Lookup, RowOutcome};
use crate::error::{Result, SourceError};
use crate::format::{Compression, SENTINEL_UTC_SUFFIX, open_mapped_text, open_text};
use crate::report::Position;
use crate::schema::TableSchema;
use crate::time_prefilter::{CsvTimeFields, FieldAt};

/// The column a CSV header names. Sentinel suffixes datetime columns with ` [UTC]`; a portal export of a
/// union of tables whose column types differ splits the column Kusto-style into `<Column>_<type>` (the
/// Device* tables' `ReportId` arrives as `ReportId_long`): such a header feeds `<Column>` when the
/// schema has it with that type and the file has no plain `<Column>`.
pub(crate) fn header_column(header: &str, all_headers: &[String], schema: &TableSchema) -> String {
    let name = header.trim_start_matches('\u{feff}');
    let name = name.strip_suffix(SENTINEL_UTC_SUFFIX).unwrap_or(name);
    if let Some((column, type_name)) = name.rsplit_once('_')
        && schema.kusto_type(column).is_some_and(|t| t.name() == type_name)
        && !all_headers.iter().any(|h| h == column)
    {
        return column.to_string();
    }
    name.to_string()
}

/// A CSV reader over `source`. Records end at `\n` only (the `\r` of a CRLF line end stays in the last
/// field, which [`field`] trims), so record positions count lines exactly in CRLF files too.
pub(crate) fn csv_reader<R: Read>(source: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(source)
}

/// Field `index` of a record, without the `\r` of a CRLF line end.
pub(crate) fn field(record: &ByteRecord, index: usize) -> &[u8] {
    let bytes = &record[index];
    if index + 1 == record.len() {
        bytes.strip_suffix(b"\r").unwrap_or(bytes)
    } else {
        bytes
    }
}

/// The text under a CSV reader: remembers the last byte read (did the file end with a line break?) and
/// refuses to hand out more than `limit` bytes past `mark`, the end of the last whole record, so a
/// record of any length (an unclosed quote runs to the end of the file) costs bounded memory.
pub(crate) struct Guarded<R> {
    pub inner: R,
    last: Option<u8>,
    read: u64,
    pub mark: u64,
    limit: u64,
}

/// The error a [`Guarded`] reader gives for a record longer than its limit.
#[derive(Debug)]
pub(crate) struct RecordTooLong;

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("record longer than the limit")
    }
}

impl std::error::Error for RecordTooLong {}

/// The CSV reader's own buffer: it reads this far ahead of the record it parses.
const CSV_BUFFER: u64 = 64 << 10;

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.read.saturating_sub(self.mark) > self.limit.saturating_add(CSV_BUFFER) {
            return Err(std::io::Error::other(RecordTooLong));
        }
        let n = self.inner.read(buf)?;
        if n > 0 {
            self.last = Some(buf[n - 1]);
            self.read += n as u64;
        }
        Ok(n)
    }
}

/// A CSV reader over `source` that refuses records longer than `limit` (see [`Guarded`]).
pub(crate) fn guarded_reader<R: Read>(source: R, limit: u64) -> csv::Reader<Guarded<R>> {
    csv_reader(Guarded {
        inner: source,
        last: None,
        read: 0,
        mark: 0,
        limit,
    })
}

/// After a record was read: the guard's allowance restarts at its end.
pub(crate) fn record_read<R: Read>(reader: &mut csv::Reader<Guarded<R>>) {
    let end = reader.position().byte();
    reader.get_mut().mark = end;
}

/// The error for a CSV read, naming a record longer than the limit as such.
pub(crate) fn csv_read_error(
    path: &std::path::Path,
    error: csv::Error,
    last_line: u64,
    limit: u64,
) -> SourceError {
    let too_long = match error.kind() {
        csv::ErrorKind::Io(io) => io.get_ref().is_some_and(|e| e.is::<RecordTooLong>()),
        _ => false,
    };
    if too_long {
        return SourceError::BadRecord {
            path: path.to_path_buf(),
            position: Position::Line(last_line + 1),
            reason: format!(
                "a record longer than the {limit}-byte limit (--max-record-size), perhaps a quote \
                 that is never closed; its end cannot be found without reading it whole"
            ),
        };
    }
    SourceError::UnsupportedFile {
        path: path.to_path_buf(),
        reason: error.to_string(),
    }
}

/// Reads a CSV file, or the records that start in one byte range of it (the header is read from the
/// file's start either way).
pub(super) fn read(sink: &mut RecordSink<'_>, slice: &FileSlice) -> Result<()> {
    let path = slice.file.path.as_path();
    let limit = sink.max_record_bytes();
    let range = slice.bytes().filter(|r| r.start > 0 || r.end < slice.file.size);
    let mut reader = guarded_reader(
        open_text(
            &slice.file.source,
            slice.file.compression,
            0,
            range.as_ref().map(|r| r.end),
        )?,
        limit,
    );
    let mut header = ByteRecord::new();
    if !reader
        .read_byte_record(&mut header)
        .map_err(|e| csv_read_error(path, e, 0, limit))?
    {
        return Ok(());
    }
    record_read(&mut reader);
    // The records are read from a stream of their own, starting at `base`: right after the header, or
    // for a range, at the first line start at or after its first byte (and after the header).
    let header_end = reader.position().byte();
    let lines_before = reader.position().line().saturating_sub(1);
    let (base, source) = match range.as_ref().filter(|r| r.start > 0) {
        Some(range) => {
            let from = range.start.max(header_end);
            let mut source = open_at(slice, from - 1, Some(range.end))?;
            let skipped = source
                .read_until(b'\n', &mut Vec::new())
                .map_err(|e| SourceError::io(path, e))?;
            let base = from - 1 + skipped as u64;
            if let Some(checks) = &slice.checks {
                checks.started(path, range.start, base)?;
            }
            (base, source)
        }
        None => (
            header_end,
            open_at(slice, header_end, range.as_ref().map(|r| r.end))?,
        ),
    };
    // Records that cannot match are skipped before the csv crate parses them; those starting at the
    // range's end or later are the next range's, handed on for the seam.
    let stop = range.as_ref().map_or(u64::MAX, |r| r.end.saturating_sub(base));
    let headers: Vec<String> = (0..header.len())
        .map(|i| String::from_utf8_lossy(field(&header, i)).into_owned())
        .collect();
    let columns: Vec<String> = headers
        .iter()
        .map(|h| header_column(h, &headers, &sink.assembler.spec().schema))
        .collect();
    let lookups: Vec<Lookup> = columns.iter().map(|c| sink.assembler.lookup(c)).collect();
    let time_fields = CsvTimeFields::of(&columns);
    let key_fields: Vec<KeyField> = sink
        .assembler
        .spec()
        .join_keys
        .iter()
        .map(|keys| (keys.clone(), FieldAt::of(&columns, keys.column())))
        .collect();
    let prefilter = sink.assembler.spec().prefilter.clone();
    let time = sink
        .assembler
        .spec()
        .time_bounds
        .map(|bounds| (bounds, time_fields));
    let skip = SkipUnmatched::new(source, prefilter, time, key_fields.clone(), stop, limit);
    let mut reader = guarded_reader(skip, limit);
    // Where a record the reader read lies in the file: its byte offset and line.
    let place_of = |reader: &csv::Reader<Guarded<SkipUnmatched<_>>>, at: csv::Position| {
        let skip = &reader.get_ref().inner;
        (
            base + skip.stream_offset(at.byte()),
            lines_before + at.line() + skip.lines_skipped_before(at.byte()),
        )
    };

    // One record of look-ahead tells which record is the last.
    let (mut current, mut next) = (ByteRecord::new(), ByteRecord::new());
    let read_record = |reader: &mut csv::Reader<_>, record: &mut ByteRecord, line: u64| {
        let found = reader
            .read_byte_record(record)
            .map_err(|e| csv_read_error(path, e, line, limit))?;
        record_read(reader);
        Ok::<_, SourceError>(found)
    };
    let mut has_current = read_record(&mut reader, &mut current, lines_before)?;
    // After the consumer stops, the range is still parsed to its end so its seam gets checked.
    let mut wanted = true;
    while has_current {
        let (record_start, current_line) = place_of(
            &reader,
            current.position().cloned().unwrap_or_else(csv::Position::new),
        );
        if let Some(range) = range.as_ref().filter(|r| record_start >= r.end) {
            sink.note_unparsed(reader.get_ref().inner.skipped);
            return note_end(slice, range.end, record_start);
        }
        let has_next = read_record(&mut reader, &mut next, current_line)?;
        sink.hold(current.as_slice().len() + next.as_slice().len())?;
        if wanted {
            let position = if range.is_some() {
                Position::ByteOffset(record_start)
            } else {
                Position::Line(current_line)
            };
            let raw_field = |index| (index < current.len()).then(|| field(&current, index));
            let times = || time_fields.times(raw_field);
            let keys = || {
                key_fields
                    .iter()
                    .all(|(keys, at)| keys.admits_csv_field(at.string_value(raw_field)))
            };
            let outcome = if !sink.admits_csv(&current, times, keys) {
                RowOutcome::OtherTable // cannot match: skipped unparsed, and counted
            } else if current.len() == columns.len() {
                decode_record(sink, &current, &columns, &lookups)
            } else if current.len() == 1 && field(&current, 0).trim_ascii().is_empty() {
                RowOutcome::OtherTable // a blank line
            } else {
                RowOutcome::Malformed(format!(
                    "expected {} fields, found {}",
                    columns.len(),
                    current.len()
                ))
            };
            // Only a reader that started at the file's start knows where quotes open: a range starting
            // inside a quoted line break reads out of step, which the seam checks report.
            if !has_next && range.is_none() {
                refuse_open_quote(slice, &current, record_start, current_line, limit)?;
            }
            let unterminated_tail = !has_next && !matches!(reader.get_ref().last, Some(b'\n' | b'\r'));
            match outcome {
                RowOutcome::Malformed(_) if unterminated_tail => sink.incomplete_tail(position)?,
                outcome => sink.outcome(position, outcome)?,
            }
            wanted = sink.maybe_flush()?;
        }
        std::mem::swap(&mut current, &mut next);
        has_current = has_next;
    }
    sink.note_unparsed(reader.get_ref().inner.skipped);
    match range {
        Some(range) => note_end(slice, range.end, place_of(&reader, reader.position().clone()).0),
        None => Ok(()),
    }
}

/// The file's text from byte `offset` (a compressed file is read from its start to there).
fn open_at(slice: &FileSlice, offset: u64, end: Option<u64>) -> Result<Box<dyn BufRead + Send>> {
    let file = &slice.file;
    let mut source = open_mapped_text(&file.source, file.compression, offset, end)?;
    if file.compression != Compression::None {
        std::io::copy(&mut (&mut source).take(offset), &mut std::io::sink())
            .map_err(|e| SourceError::io(&file.path, e))?;
    }
    Ok(source)
}

/// Fails on the file's last record when a quote opened in it never closes: it then runs over every
/// line to the end of the file, which would be lost as one malformed record (or, in a text column,
/// read as one value). Only a last record that holds a line break is read again to tell; one cut on
/// its own line is an incomplete tail (a file still being written).
fn refuse_open_quote(
    slice: &FileSlice,
    record: &ByteRecord,
    start: u64,
    line: u64,
    limit: u64,
) -> Result<()> {
    if !(0..record.len()).any(|i| record[i].contains(&b'\n')) {
        return Ok(());
    }
    let path = slice.file.path.as_path();
    let mut text = Vec::new();
    let source = open_at(slice, start, None)?;
    // The record passed the limit's guard, so this reads at most the limit and a buffer.
    source
        .take(limit.saturating_add(2 * CSV_BUFFER))
        .read_to_end(&mut text)
        .map_err(|e| SourceError::io(path, e))?;
    if !ends_in_open_quote(&text) {
        return Ok(());
    }
    let lines = text.iter().filter(|&&b| b == b'\n').count();
    Err(SourceError::BadRecord {
        path: path.to_path_buf(),
        position: Position::Line(line),
        reason: format!(
            "a quoted value is never closed: the record runs over the {lines} line(s) to the end of \
             the file"
        ),
    })
}

/// Whether CSV text read from the start of a record ends inside a quoted value, by the rules of the
/// csv crate's reader as [`csv_reader`] sets it up (a quote opens a value only at its start, `""`
/// inside is one quote, a quote elsewhere is a plain character).
pub(super) fn ends_in_open_quote(text: &[u8]) -> bool {
    #[derive(Clone, Copy)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    for &byte in text {
        state = match (state, byte) {
            (State::FieldStart, b'"') | (State::QuoteInQuoted, b'"') => State::Quoted,
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (_, b',' | b'\n') => State::FieldStart,
            _ => State::Unquoted,
        };
    }
    matches!(state, State::Quoted)
}

/// The earlier side of a seam: where this range's records end.
fn note_end(slice: &FileSlice, point: u64, at: u64) -> Result<()> {
    match &slice.checks {
        Some(checks) if point < slice.file.size => checks.ended(&slice.file.path, point, at),
        _ => Ok(()),
    }
}

fn decode_record(
    sink: &mut RecordSink<'_>,
    record: &ByteRecord,
    columns: &[String],
    lookups: &[Lookup],
) -> RowOutcome {
    let row = &mut sink.assembler;
    row.begin_row();
    // One truth per record: a field that is not UTF-8 makes the record malformed whether or not the
    // query reads its column.
    if !fields_are_utf8(record)
        && let Some(index) = (0..record.len()).find(|&i| std::str::from_utf8(field(record, i)).is_err())
    {
        let column = columns.get(index).map_or("?", String::as_str);
        row.record_error(format!("column {column}: not valid UTF-8"));
    }
    for (index, (column, lookup)) in columns.iter().zip(lookups).enumerate() {
        if *lookup == Lookup::Skip {
            continue;
        }
        match (lookup, std::str::from_utf8(field(record, index))) {
            (_, Err(_)) => row.record_error(format!("column {column}: not valid UTF-8")),
            (Lookup::Unknown, Ok(text)) if !text.is_empty() => row.note_unknown(column),
            (lookup, Ok(text)) => row.set_text(lookup, text),
        }
    }
    row.finish_row(None)
}

/// Whether every field of `record` is UTF-8, told from the record's text at once: valid as a whole,
/// with no field starting inside a character (a field ending in a lead byte and the next starting with
/// its continuation bytes are valid together, not apart). One check per record rather than one per
/// field, which was a fifth of a CSV scan that reads every record.
fn fields_are_utf8(record: &ByteRecord) -> bool {
    std::str::from_utf8(record.as_slice()).is_ok_and(|text| {
        (1..record.len()).all(|i| record.range(i).is_some_and(|r| text.is_char_boundary(r.start)))
    })
}

#[cfg(test)]
mod tests {
    use csv::ByteRecord;
    use proptest::prelude::*;

    use super::{ends_in_open_quote, fields_are_utf8};

    /// Text of one- to four-byte characters cut into fields anywhere, characters included, with a
    /// stray byte put in now and then.
    fn fields() -> impl Strategy<Value = Vec<Vec<u8>>> {
        let text = prop::collection::vec(
            prop_oneof![
                Just('a'),
                Just(','),
                Just('é'),
                Just('\u{0130}'),
                Just('€'),
                Just('𝄞'),
                any::<char>()
            ],
            0..24,
        );
        let stray = prop::option::of((any::<prop::sample::Index>(), any::<u8>()));
        (
            text,
            prop::collection::vec(any::<prop::sample::Index>(), 0..8),
            stray,
        )
            .prop_map(|(chars, cuts, stray)| {
                let mut bytes = chars.into_iter().collect::<String>().into_bytes();
                if let Some((at, byte)) = stray {
                    let at = at.index(bytes.len() + 1);
                    bytes.insert(at, byte);
                }
                let mut cuts: Vec<usize> = cuts.iter().map(|cut| cut.index(bytes.len() + 1)).collect();
                cuts.sort_unstable();
                let mut fields = Vec::new();
                let mut start = 0;
                for cut in cuts {
                    fields.push(bytes[start..cut].to_vec());
                    start = cut;
                }
                fields.push(bytes[start..].to_vec());
                fields
            })
    }

    proptest! {
        #[test]
        fn a_record_is_utf8_at_once_exactly_when_every_field_is(fields in fields()) {
            let record = ByteRecord::from(fields.clone());
            let each = fields.iter().all(|field| std::str::from_utf8(field).is_ok());
            prop_assert_eq!(fields_are_utf8(&record), each, "{:?}", fields);
        }
    }

    #[test]
    fn open_quotes_are_told_by_the_csv_readers_rules() {
        for (text, open) in [
            (&b"a,b,c\n"[..], false),
            (b"a,\"b\nc\",d\n", false),
            (b"a,\"b \"\"quoted\"\" c\"\n", false),
            (b"a,b\"c,d\n", false),
            (b"a,\"b,c\nd,e,f\n", true),
            (b"a,\"b\"\",c\nd\n", true),
            (b"a,\"", true),
        ] {
            assert_eq!(
                ends_in_open_quote(text),
                open,
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }
}
