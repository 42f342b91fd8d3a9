//! CSV records that cannot match, skipped before the csv crate parses them (issue #14).
//!
//! Testing each record after the csv crate split it left that split (`csv_core`) as most of a selective
//! CSV hunt. [`SkipUnmatched`] sits between the file and the CSV reader instead: it searches a chunk of
//! raw text at a time for the prefilter's needles ([`Prefilter::csv_candidates`]: placed as their
//! operators need, as far as the raw text shows), finds where records end by the csv crate's own
//! quoting rules ([`record_ends`]), and hands the reader only the records holding a candidate. The
//! reader tests those as before; every record skipped is counted, and the stretches skipped are kept so
//! that the records handed on keep their byte offsets and line numbers in the file.
//!
//! A hash join's long key list (see `crate::join_keys`) is tested here too, on each record's raw key
//! field ([`raw_field`]), so that a relay list joined with a table leaves the csv crate only the
//! records whose key field holds a relay address; and so are time bounds, on the raw time fields,
//! before the needles are searched.

use std::io::{BufRead, Read};
use std::sync::Arc;

use torhunt_prefilter::{CsvCandidates, Prefilter};

use crate::join_keys::JoinKeys;
use crate::time_prefilter::{CsvTimeFields, FieldAt, TimeBounds};

/// A join's keys and where a record's key field is.
pub(crate) type KeyField = (Arc<JoinKeys>, FieldAt);

/// Raw text searched at a time (more when a record is longer).
const CHUNK: usize = 256 << 10;

/// A reader handing on only the records of a CSV stream (starting at a record's start, after the
/// header) that may match `prefilter`; a pass-through when there is none.
pub(crate) struct SkipUnmatched<R> {
    inner: R,
    prefilter: Option<Arc<Prefilter>>,
    /// Time bounds a record's time fields must meet, and where the fields are.
    time: Option<(TimeBounds, CsvTimeFields)>,
    /// Join keys a record's key field must admit (all of them).
    key_fields: Vec<KeyField>,
    /// Raw text read, `text[..end]`; from `pos` on, not yet handed on or skipped (`pos` is a record's
    /// start).
    text: Vec<u8>,
    pos: usize,
    end: usize,
    /// Where `text[pos..]` starts in the stream.
    text_offset: u64,
    /// Records handed on, waiting to be read, from `handed`.
    out: Vec<u8>,
    handed: usize,
    /// Bytes handed on so far.
    out_total: u64,
    /// Records from this stream offset on are handed on whatever they hold (the next byte range's).
    stop: u64,
    /// Records longer than this are handed on unsearched (the CSV reader's guard refuses them).
    limit: u64,
    /// Past `stop`, a record too long, or the stream's end: everything left is handed on.
    passing: bool,
    /// Per stretch handed on after a skip: (its first byte in what was handed on, that byte's stream
    /// offset, line breaks skipped before it).
    stretches: Vec<(u64, u64, u64)>,
    skipped_lines: u64,
    /// Records skipped unparsed.
    pub skipped: u64,
}

impl<R: BufRead> SkipUnmatched<R> {
    /// Skips the records of `inner` that `prefilter` or a join's keys rule out (a pass-through when
    /// neither is given); `stop` and `limit` as on the fields.
    pub fn new(
        inner: R,
        prefilter: Option<Arc<Prefilter>>,
        time: Option<(TimeBounds, CsvTimeFields)>,
        key_fields: Vec<KeyField>,
        stop: u64,
        limit: u64,
    ) -> SkipUnmatched<R> {
        SkipUnmatched {
            inner,
            passing: prefilter.is_none() && time.is_none() && key_fields.is_empty(),
            prefilter,
            time,
            key_fields,
            text: Vec::new(),
            pos: 0,
            end: 0,
            text_offset: 0,
            out: Vec::new(),
            handed: 0,
            out_total: 0,
            stop,
            limit,
            stretches: Vec::new(),
            skipped_lines: 0,
            skipped: 0,
        }
    }

    /// The stream offset of byte `at` of what was handed on.
    pub fn stream_offset(&self, at: u64) -> u64 {
        match self.stretch_of(at) {
            Some(&(start, offset, _)) => offset + (at - start),
            None => at,
        }
    }

    /// The line breaks skipped before byte `at` of what was handed on.
    pub fn lines_skipped_before(&self, at: u64) -> u64 {
        self.stretch_of(at).map_or(0, |&(_, _, lines)| lines)
    }

    fn stretch_of(&self, at: u64) -> Option<&(u64, u64, u64)> {
        let index = self.stretches.partition_point(|&(start, _, _)| start <= at);
        index.checked_sub(1).map(|i| &self.stretches[i])
    }

    /// What is left to hand on or skip.
    fn rest(&self) -> &[u8] {
        &self.text[self.pos..self.end]
    }

    /// Reads another chunk of raw text after what is left; returns whether the stream ended. Reads
    /// land in `text` itself: a `BufReader` below hands a read as large as its buffer straight
    /// through, so the file's bytes are copied once, by the kernel (copying them out of the reader's
    /// buffer was a pass over every byte).
    fn fill(&mut self) -> std::io::Result<bool> {
        self.text.copy_within(self.pos..self.end, 0);
        self.end -= self.pos;
        self.pos = 0;
        let before = self.end;
        while self.end < before + CHUNK / 2 {
            if self.text.len() < self.end + CHUNK {
                self.text.resize(self.end + CHUNK, 0);
            }
            match self.inner.read(&mut self.text[self.end..self.end + CHUNK]) {
                Ok(0) => return Ok(true),
                Ok(read) => self.end += read,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(false)
    }

    /// Moves the next `length` bytes to what is handed on.
    fn hand_on(&mut self, length: usize) {
        self.out
            .extend_from_slice(&self.text[self.pos..self.pos + length]);
        self.out_total += length as u64;
        self.consume(length);
    }

    /// Drops `length` bytes of `text`, skipped: its records and line breaks (`lines`) are counted,
    /// and the next byte handed on starts a stretch.
    fn skip(&mut self, length: usize, records: u64, lines: u64) {
        if length == 0 {
            return;
        }
        self.skipped += records;
        self.skipped_lines += lines;
        self.consume(length);
        self.stretches
            .push((self.out_total, self.text_offset, self.skipped_lines));
    }

    fn consume(&mut self, length: usize) {
        self.pos += length;
        self.text_offset += length as u64;
    }

    /// Hands on the next records that may match (at least one byte, unless the stream ended).
    fn advance(&mut self) -> std::io::Result<()> {
        self.out.clear();
        self.handed = 0;
        while self.out.is_empty() {
            if self.passing {
                if self.rest().is_empty() {
                    let buffer = self.inner.fill_buf()?;
                    let length = buffer.len();
                    self.out.extend_from_slice(buffer);
                    self.inner.consume(length);
                    self.out_total += length as u64;
                    return Ok(());
                }
                let length = self.rest().len();
                self.hand_on(length);
                continue;
            }
            let ended = self.fill()?;
            let (mut ends, mut breaks) = (Vec::new(), Vec::new());
            let whole = record_ends(self.rest(), &mut ends, &mut breaks);
            // Records from `stop` on belong to the next range: hand them on unsearched.
            let before_stop = ends.partition_point(|&end| self.text_offset + (end as u64) <= self.stop);
            let (whole, stop_here) = match before_stop < ends.len() {
                true => (before_stop.checked_sub(1).map_or(0, |i| ends[i]), true),
                false => (whole, false),
            };
            ends.truncate(before_stop);
            if whole > 0 {
                self.take_records(whole, &ends, &breaks);
            }
            if stop_here || ended || (whole == 0 && self.rest().len() as u64 > self.limit) {
                // What is left is handed on as it is: the next range's records, the stream's last
                // (unfinished) record, or one too long to search, which the reader's guard refuses.
                self.passing = true;
                if ended && self.rest().is_empty() && self.out.is_empty() {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// Hands on the records of `text[..whole]` (ending at `ends`, with `breaks` line breaks before
    /// each end) holding a candidate whose key fields the join keys admit, and skips the rest.
    fn take_records(&mut self, whole: usize, ends: &[usize], breaks: &[u64]) {
        let text = &self.rest()[..whole];
        let start_of = |record: usize| record.checked_sub(1).map_or(0, |i| ends[i]);
        // The time bounds first: a time field is found by its place in a record, so the needles are
        // searched only in the runs of records the bounds admit (most of a file sorted by time).
        let mut wanted: Vec<bool> = match &self.time {
            Some((bounds, fields)) => (0..ends.len())
                .map(|record| {
                    let record = &text[start_of(record)..ends[record]];
                    let [timestamp, generated] = fields.times(|index| raw_field(record, index));
                    bounds.admits(timestamp, generated)
                })
                .collect(),
            None => vec![true; ends.len()],
        };
        if let Some(prefilter) = &self.prefilter {
            let mut record = 0;
            while record < ends.len() {
                let run = wanted[record..]
                    .iter()
                    .take_while(|&&w| w == wanted[record])
                    .count();
                if wanted[record] {
                    let from = start_of(record);
                    let runs = &mut wanted[record..record + run];
                    match prefilter.csv_candidates(&text[from..ends[record + run - 1]]) {
                        CsvCandidates::All => {}
                        CsvCandidates::At(positions) => {
                            runs.fill(false);
                            for at in positions {
                                runs[ends[record..].partition_point(|&end| end <= from + at)] = true;
                            }
                        }
                    }
                }
                record += run;
            }
        }
        if !self.key_fields.is_empty() {
            for (record, wanted) in wanted.iter_mut().enumerate().filter(|(_, w)| **w) {
                let start = record.checked_sub(1).map_or(0, |i| ends[i]);
                let record = &text[start..ends[record]];
                *wanted = self
                    .key_fields
                    .iter()
                    .all(|(keys, at)| keys.admits_csv_field(at.string_value(|i| raw_field(record, i))));
            }
        }
        // Runs of records wanted or not, in order.
        let mut record = 0;
        while record < ends.len() {
            let run = wanted[record..]
                .iter()
                .take_while(|&&w| w == wanted[record])
                .count();
            let start = record.checked_sub(1).map_or(0, |i| ends[i]);
            let length = ends[record + run - 1] - start;
            if wanted[record] {
                self.hand_on(length);
            } else {
                let lines = breaks[record + run - 1] - record.checked_sub(1).map_or(0, |i| breaks[i]);
                self.skip(length, run as u64, lines);
            }
            record += run;
        }
    }
}

impl<R: BufRead> Read for SkipUnmatched<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.handed == self.out.len() {
            self.advance()?;
        }
        let n = buf.len().min(self.out.len() - self.handed);
        buf[..n].copy_from_slice(&self.out[self.handed..self.handed + n]);
        self.handed += n;
        Ok(n)
    }
}

/// The ends (one past the line break) of the whole records of `text`, which starts at a record's start,
/// by the csv crate's rules as `csv_reader` sets it up: records end at `\n` outside quotes; a quote
/// opens a quoted value only at a value's start (after `,` or a line break), `""` inside one is a
/// quote, and a quote anywhere else is a plain character. Empty lines are no records (the reader skips
/// them); they stay in the stretch before the next record. Pushes to `breaks`, per record end, the
/// line breaks before it (quoted ones too), so that skipping records needs no other pass over them.
/// Returns the end of the last whole record (0 when there is none).
pub(crate) fn record_ends(text: &[u8], ends: &mut Vec<usize>, breaks: &mut Vec<u64>) -> usize {
    let mut at = 0;
    let mut record_start = 0;
    let mut lines = 0u64;
    // Unquoted: the next quote or line break decides.
    while let Some(offset) = memchr::memchr2(b'"', b'\n', &text[at..]) {
        let found = at + offset;
        if text[found] == b'\n' {
            at = found + 1;
            lines += 1;
            // A line holding nothing is skipped by the reader, not a record.
            if found > record_start {
                ends.push(at);
                breaks.push(lines);
            }
            record_start = at;
            continue;
        }
        let value_start = found == record_start || matches!(text[found - 1], b',' | b'\n');
        if !value_start {
            at = found + 1;
            continue;
        }
        // Quoted: up to the quote that is not doubled.
        let mut inside = found + 1;
        loop {
            let Some(offset) = memchr::memchr(b'"', &text[inside..]) else {
                return ends.last().copied().unwrap_or(0);
            };
            let quote = inside + offset;
            if text.get(quote + 1) == Some(&b'"') {
                inside = quote + 2;
            } else if quote + 1 == text.len() {
                // A doubled quote may follow in text not read yet.
                return ends.last().copied().unwrap_or(0);
            } else {
                lines += memchr::memchr_iter(b'\n', &text[found + 1..quote]).count() as u64;
                at = quote + 1;
                break;
            }
        }
    }
    ends.last().copied().unwrap_or(0)
}

/// Field `index` of one raw record (its text to its line break, perhaps after blank lines) as the csv
/// crate reads it and [`super::csv::field`] trims it (one `\r` off the last field: a CRLF line end),
/// where that is a piece of the raw text: unquoted, or quoted with no `""` inside and nothing between
/// its closing quote and the next field but, in the last field, the line end's `\r` (the crate joins
/// text after a closing quote to the value). `None` when the record has no such field or it is not
/// raw text.
pub(crate) fn raw_field(record: &[u8], index: usize) -> Option<&[u8]> {
    let start = record.iter().take_while(|&&b| b == b'\n').count();
    let record = &record[start..];
    let record = record.strip_suffix(b"\n").unwrap_or(record);
    let next_comma =
        |from: usize| from + memchr::memchr(b',', &record[from..]).unwrap_or(record.len() - from);
    let (mut at, mut field) = (0, 0);
    loop {
        let (end, value) = if record.get(at) == Some(&b'"') {
            // Quoted: to the quote that is not doubled.
            let (mut inside, mut doubled) = (at + 1, false);
            let close = loop {
                let quote = inside + memchr::memchr(b'"', &record[inside..])?;
                if record.get(quote + 1) == Some(&b'"') {
                    (inside, doubled) = (quote + 2, true);
                } else {
                    break quote;
                }
            };
            let end = next_comma(close + 1);
            let last = end == record.len();
            let inner = &record[at + 1..close];
            let value = match &record[close + 1..end] {
                _ if doubled => None,
                b"" => Some(trimmed_if_last(inner, last)),
                b"\r" if last => Some(inner),
                _ => None,
            };
            (end, value)
        } else {
            let end = next_comma(at);
            (end, Some(trimmed_if_last(&record[at..end], end == record.len())))
        };
        if field == index {
            return value;
        }
        if end == record.len() {
            return None;
        }
        (at, field) = (end + 1, field + 1);
    }
}

/// A value without the `\r` of a CRLF line end when it is the record's last.
fn trimmed_if_last(value: &[u8], last: bool) -> &[u8] {
    match last {
        true => value.strip_suffix(b"\r").unwrap_or(value),
        false => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The records the csv crate reads from `text`, as byte ranges, and where its last whole one ends.
    fn by_the_csv_crate(text: &[u8]) -> Vec<usize> {
        let mut reader = super::super::csv::csv_reader(text);
        let mut record = csv::ByteRecord::new();
        let mut ends = Vec::new();
        while reader.read_byte_record(&mut record).expect("reads") {
            let end = reader.position().byte() as usize;
            let unclosed = end == text.len() && super::super::csv::ends_in_open_quote(text);
            if text[..end].ends_with(b"\n") && !unclosed {
                ends.push(end);
            }
        }
        ends
    }

    #[test]
    fn records_end_where_the_csv_crate_ends_them() {
        for text in [
            &b"a,b\nc,d\n"[..],
            b"a,\"b\nc\",d\ne\n",
            b"a,\"b \"\"q\"\" c\"\nd\n",
            b"a,b\"c\nd\n",
            b"\n\na\n\n\nb\r\n\r\nc",
            b"\"a\"x\"y\nz\n",
            b"a,\"b\"\"\",c\nd\n",
            b"a,\"open\nstill\n",
        ] {
            let (mut ends, mut breaks) = (Vec::new(), Vec::new());
            record_ends(text, &mut ends, &mut breaks);
            assert_eq!(ends, by_the_csv_crate(text), "{}", String::from_utf8_lossy(text));
            let lines: Vec<u64> = ends
                .iter()
                .map(|&end| memchr::memchr_iter(b'\n', &text[..end]).count() as u64)
                .collect();
            assert_eq!(breaks, lines, "{}", String::from_utf8_lossy(text));
        }
    }

    /// Field `index` of the record the csv crate reads from `record`, trimmed as the reader trims it.
    fn field_by_the_csv_crate(record: &[u8], index: usize) -> Option<Vec<u8>> {
        let mut reader = super::super::csv::csv_reader(record);
        let mut fields = csv::ByteRecord::new();
        reader.read_byte_record(&mut fields).expect("reads");
        (index < fields.len()).then(|| super::super::csv::field(&fields, index).to_vec())
    }

    proptest::proptest! {
        /// A raw field, where one is given, is the value the csv crate reads, quotes, CRLF and blank
        /// lines included.
        #[test]
        fn raw_fields_are_the_values_the_csv_crate_reads(
            text in proptest::collection::vec(proptest::sample::select(&b"ab,\"\r\n"[..]), 0..40),
        ) {
            let (mut ends, mut breaks) = (Vec::new(), Vec::new());
            record_ends(&text, &mut ends, &mut breaks);
            let mut start = 0;
            for (end, breaks) in ends.into_iter().zip(breaks) {
                proptest::prop_assert_eq!(breaks, memchr::memchr_iter(b'\n', &text[..end]).count() as u64);
                let record = &text[start..end];
                for index in 0..6 {
                    if let Some(value) = raw_field(record, index) {
                        proptest::prop_assert_eq!(
                            Some(value.to_vec()),
                            field_by_the_csv_crate(record, index),
                            "{:?} field {}", String::from_utf8_lossy(record), index
                        );
                    }
                }
                start = end;
            }
        }
    }

    #[test]
    fn raw_fields_are_told_where_they_are_certain() {
        for (record, index, expected) in [
            (&b"a,b,c\n"[..], 1, Some(&b"b"[..])),
            (b"a,b,c\r\n", 2, Some(&b"c"[..])),
            (b"\n\na,\"b,x\",c\n", 1, Some(&b"b,x"[..])),
            (b"a,\"b\"\"x\",c\n", 1, None),
            (b"a,\"b\"x,c\n", 1, None),
            (b"a,\"b\"\"x\",c\n", 2, Some(&b"c"[..])),
            (b"a,b\n", 2, None),
            (b"a,,\n", 2, Some(&b""[..])),
            (b"a,\"b\"\r\n", 1, Some(&b"b"[..])),
            (b"a,\"b\r\"\r\n", 1, Some(&b"b\r"[..])),
            (b"a\r,b\r\r\n", 0, Some(&b"a\r"[..])),
            (b"a\r,b\r\r\n", 1, Some(&b"b\r"[..])),
        ] {
            assert_eq!(
                raw_field(record, index),
                expected,
                "{}",
                String::from_utf8_lossy(record)
            );
        }
    }
}
