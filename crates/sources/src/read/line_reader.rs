//! Lines of a text stream handed out in place, in the buffer the stream is read into.
//!
//! Copying each line out of a `BufReader` into a line buffer was a pass over every byte of a selective
//! Event Hub hunt (7%), next to the kernel's own copy into the reader's buffer; a line here is a slice
//! of the one buffer the kernel copies into, and only a line cut off by the end of a read is moved, to
//! the buffer's start. Reads stay [`READ`] bytes, small enough to remain in a core's cache between the
//! kernel's copy and the scan over it (see `format::open_text`); a `BufReader` below hands such reads
//! straight through.
//!
//! A local file can be mapped instead ([`LineReader::mapped`]): its lines are then slices of the map,
//! with no copy at all, and reads go on where the map ends (the file may have grown since).

use std::io::{ErrorKind, Read};
use std::ops::Range;

use torhunt_file_map::FileMap;

/// Bytes asked of the stream at a time.
const READ: usize = 256 << 10;

pub(crate) struct LineReader<R> {
    inner: R,
    /// Text handed out from a map of the file before any is read from `inner`, which starts where the
    /// map ends; `None` once the map is passed.
    mapped: Option<Mapped>,
    /// Read text is `buffer[start..end]`; `buffer[start..searched]` holds no line break.
    buffer: Vec<u8>,
    start: usize,
    searched: usize,
    end: usize,
    ended: bool,
}

/// Bytes of a map tested at once by [`LineReader::pass_rejected_block`]: many Event Hub messages
/// (about 80 KB each), so that the block's last one, cut by its end and tested again with the next
/// block, costs little; small enough to stay in the cache for the count of its lines.
const BLOCK: usize = 1 << 20;

/// Lines passed over by [`LineReader::pass_rejected_block`].
pub(crate) struct PassedLines {
    pub lines: u64,
    /// Of them, lines of spaces only (not records).
    pub blank: u64,
    pub bytes: u64,
    /// Whether the test admitted the line after them: it is read and tested on its own before the
    /// next block is.
    pub next_admitted: bool,
}

pub(crate) fn cut_short() -> std::io::Error {
    std::io::Error::new(
        ErrorKind::UnexpectedEof,
        "the file was cut short while it was read",
    )
}

struct Mapped {
    map: FileMap,
    /// Where the next line starts in the map.
    at: usize,
}

/// A line as read: its text (through its `\n`, when it has one) unless it is longer than the limit.
pub(crate) struct ReadLine<'a> {
    /// Empty for a line longer than the limit (read past, not kept).
    pub text: &'a [u8],
    /// Bytes the line took in the stream.
    pub bytes: u64,
    pub too_long: bool,
    /// The memory the reader holds, this line included.
    pub held: usize,
}

impl<R: Read> LineReader<R> {
    pub fn new(inner: R) -> LineReader<R> {
        LineReader {
            inner,
            mapped: None,
            buffer: Vec::new(),
            start: 0,
            searched: 0,
            end: 0,
            ended: false,
        }
    }

    /// Lines of `map`, then of `inner` (which must start where the map ends).
    pub fn mapped(map: FileMap, inner: R) -> LineReader<R> {
        LineReader {
            mapped: Some(Mapped { map, at: 0 }),
            ..LineReader::new(inner)
        }
    }

    /// Fails if a page of the map was cut off the file while it was read (see [`FileMap::cut_short`]):
    /// lines handed out since may hold zeros where the text was.
    pub fn check(&self) -> std::io::Result<()> {
        match &self.mapped {
            Some(mapped) if mapped.map.cut_short() => Err(cut_short()),
            _ => Ok(()),
        }
    }

    /// The next line, `None` at the stream's end. A line longer than `max` bytes (its line break
    /// counted) is read past without being held: it costs at most `max` bytes (and a read) of memory.
    pub fn next_line(&mut self, max: u64) -> std::io::Result<Option<ReadLine<'_>>> {
        let mut passed = 0u64;
        if let Some(line) = self.next_mapped(max, &mut passed)? {
            let text = self
                .mapped
                .as_ref()
                .map_or(&[][..], |mapped| &mapped.map.bytes()[line]);
            let too_long = text.len() as u64 > max;
            return Ok(Some(ReadLine {
                text: if too_long { &[] } else { text },
                bytes: text.len() as u64,
                too_long,
                held: if too_long { 0 } else { text.len() },
            }));
        }
        loop {
            if let Some(offset) = memchr::memchr(b'\n', &self.buffer[self.searched..self.end]) {
                let (start, end) = (self.start, self.searched + offset + 1);
                (self.start, self.searched) = (end, end);
                return Ok(Some(self.line(start, end, passed, max)));
            }
            self.searched = self.end;
            if self.ended {
                let (start, end) = (self.start, self.end);
                if start == end && passed == 0 {
                    return Ok(None);
                }
                self.start = end;
                return Ok(Some(self.line(start, end, passed, max)));
            }
            if passed > 0 || (self.end - self.start) as u64 > max {
                // Too long: what is read of it is dropped, and the rest only searched for its end.
                passed += (self.end - self.start) as u64;
                (self.start, self.searched, self.end) = (0, 0, 0);
            }
            self.fill()?;
        }
    }

    /// With a map: tests the map's next [`BLOCK`] bytes with `admitted_from` (where in a text the first
    /// line that may be admitted can be, as [`torhunt_prefilter::Prefilter::admitted_from`] tells;
    /// `None` when none can) and passes over the whole lines before that at once, telling what it
    /// passed; `None` when there is no map, a line in the block may be longer than `max`, or the
    /// test rejects the block and it holds no whole line. One search over a block that the next pass
    /// finds in the cache, where finding each line first would fetch it from memory for the search.
    pub fn pass_rejected_block(
        &mut self,
        max: u64,
        admitted_from: impl FnOnce(&[u8]) -> Option<usize>,
    ) -> std::io::Result<Option<PassedLines>> {
        let Some(mapped) = &mut self.mapped else {
            return Ok(None);
        };
        let rest = &mapped.map.bytes()[mapped.at..];
        let block = &rest[..rest.len().min(BLOCK)];
        // The whole block is tested first, so that the search is what fetches it from memory; the
        // line it ends inside is tested again with the next block.
        if block.len() as u64 > max {
            return Ok(None);
        }
        let admitted = admitted_from(block);
        let rejected = &block[..admitted.unwrap_or(block.len())];
        let whole = match memchr::memrchr(b'\n', rejected) {
            Some(last) => &rejected[..=last],
            None if admitted.is_some() => &[][..],
            None => return Ok(None),
        };
        let mut passed = PassedLines {
            lines: 0,
            blank: 0,
            bytes: whole.len() as u64,
            next_admitted: admitted.is_some(),
        };
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', whole) {
            passed.lines += 1;
            passed.blank += u64::from(whole[start..end].iter().all(u8::is_ascii_whitespace));
            start = end + 1;
        }
        if mapped.map.cut_short() {
            return Err(cut_short());
        }
        mapped.at += whole.len();
        Ok(Some(passed))
    }

    /// Where the next line lies in the map; `None` once the map is passed (then its last line, which
    /// the reads finish, is in the buffer, or `passed` when it is already too long).
    fn next_mapped(&mut self, max: u64, passed: &mut u64) -> std::io::Result<Option<Range<usize>>> {
        let Some(mapped) = &mut self.mapped else {
            return Ok(None);
        };
        let rest = &mapped.map.bytes()[mapped.at..];
        let found = memchr::memchr(b'\n', rest);
        if mapped.map.cut_short() {
            return Err(cut_short());
        }
        if let Some(offset) = found {
            let start = mapped.at;
            mapped.at += offset + 1;
            return Ok(Some(start..mapped.at));
        }
        if rest.len() as u64 > max {
            *passed = rest.len() as u64;
        } else {
            self.buffer.clear();
            self.buffer.extend_from_slice(rest);
            (self.start, self.searched, self.end) = (0, rest.len(), rest.len());
        }
        if mapped.map.cut_short() {
            return Err(cut_short());
        }
        self.mapped = None;
        Ok(None)
    }

    fn line(&self, start: usize, end: usize, passed: u64, max: u64) -> ReadLine<'_> {
        let bytes = passed + (end - start) as u64;
        let too_long = bytes > max;
        ReadLine {
            text: if too_long { &[] } else { &self.buffer[start..end] },
            bytes,
            too_long,
            held: self.buffer.capacity(),
        }
    }

    /// Reads up to [`READ`] more bytes after the text kept, moving it to the buffer's start first when
    /// that leaves room.
    fn fill(&mut self) -> std::io::Result<()> {
        // After a long line the buffer is given back as soon as the line is gone.
        if self.buffer.len() - self.end < READ || (self.start > 0 && self.buffer.len() > 4 * READ) {
            self.buffer.copy_within(self.start..self.end, 0);
            (self.end, self.searched) = (self.end - self.start, self.searched - self.start);
            self.start = 0;
            let wanted = (self.end + READ).max(2 * READ);
            if self.buffer.len() < wanted || self.buffer.len() > 2 * wanted {
                self.buffer.resize(wanted, 0);
                self.buffer.shrink_to(wanted);
            }
        }
        loop {
            match self.inner.read(&mut self.buffer[self.end..self.end + READ]) {
                Ok(0) => self.ended = true,
                Ok(read) => self.end += read,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of `text` read with limit `max`, through a stream handing out at most `step` bytes
    /// per read: (text, bytes, too long).
    fn lines(text: &[u8], max: u64, step: usize) -> Vec<(Vec<u8>, u64, bool)> {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = buf.len().min(self.1).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        collect(LineReader::new(Trickle(text, step)), max)
    }

    fn collect<R: Read>(mut reader: LineReader<R>, max: u64) -> Vec<(Vec<u8>, u64, bool)> {
        let mut out = Vec::new();
        while let Some(line) = reader.next_line(max).unwrap() {
            out.push((line.text.to_vec(), line.bytes, line.too_long));
        }
        out
    }

    /// `text` in a file, its first `mapped` bytes mapped and the rest read.
    fn file_mapped(text: &[u8], mapped: usize) -> (tempfile::NamedTempFile, LineReader<std::fs::File>) {
        use std::io::{Seek, Write};
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(text).unwrap();
        let mut read = std::fs::File::open(file.path()).unwrap();
        let map = FileMap::new(&read, 0, mapped).unwrap().unwrap();
        read.seek(std::io::SeekFrom::Start(mapped as u64)).unwrap();
        (file, LineReader::mapped(map, read))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

        /// Lines are the text split after each `\n`, whatever the reads; a line over the limit is
        /// given by its length alone.
        #[test]
        fn lines_are_the_text_split_at_line_breaks(
            pieces in proptest::collection::vec((0usize..700_000, proptest::bool::ANY), 0..6),
            max in 0u64..800_000,
            step in proptest::sample::select(vec![1usize, 7, 4096, READ, usize::MAX]),
        ) {
            let mut text = Vec::new();
            for (length, terminated) in &pieces {
                text.extend(std::iter::repeat_n(b'x', *length % if step == 1 { 3000 } else { usize::MAX }));
                if *terminated {
                    text.push(b'\n');
                }
            }
            let expected: Vec<(Vec<u8>, u64, bool)> = text
                .split_inclusive(|&b| b == b'\n')
                .map(|line| {
                    let too_long = line.len() as u64 > max;
                    (if too_long { Vec::new() } else { line.to_vec() }, line.len() as u64, too_long)
                })
                .collect();
            let found = lines(&text, max, step);
            proptest::prop_assert_eq!(found.len(), expected.len());
            for (found, expected) in found.iter().zip(&expected) {
                proptest::prop_assert_eq!(found, expected);
            }
            // The same lines when the file's start is mapped and the rest read, wherever the map ends.
            if !text.is_empty() {
                let mapped = 1 + (max as usize).wrapping_mul(7919) % text.len();
                let (_file, reader) = file_mapped(&text, mapped);
                proptest::prop_assert_eq!(collect(reader, max), expected);
            }
        }
    }

    /// Blocks passed over hold whole lines only, are counted exactly, and leave the next line where
    /// it was; a block the test admits is read line by line.
    #[test]
    fn lines_before_where_a_block_is_admitted_are_passed_over() {
        let mut text = String::new();
        let mut line = 0;
        while text.len() < 3 * BLOCK + 1000 {
            line += 1;
            let body = if line % 17 == 0 {
                " \t".to_string()
            } else {
                format!("line {line} {}", "x".repeat(line % 300))
            };
            text.push_str(&body);
            text.push_str(if line % 2 == 0 { "\r\n" } else { "\n" });
        }
        text.push_str("no line break at the end");
        let expected = lines(text.as_bytes(), u64::MAX, usize::MAX);
        let (_file, mut reader) = file_mapped(text.as_bytes(), text.len());
        let (mut found, mut blank, mut tested, mut admitted) = (Vec::new(), 0, 0, 0);
        // After a block admitted from a byte, the bytes passed and that byte's offset from them.
        let mut read_next: Option<(u64, u64)> = None;
        loop {
            // Blocks are rejected, admitted from their start, or admitted from a byte inside them.
            let mut admitted_at = None;
            let passed = match read_next {
                Some(_) => None,
                None => reader
                    .pass_rejected_block(u64::MAX, |block| {
                        assert!(block.len() <= BLOCK);
                        tested += 1;
                        admitted_at = [None, Some(0), Some(block.len() / 3)][tested % 3];
                        admitted_at
                    })
                    .unwrap(),
            };
            if let Some((passed, at)) = read_next.take() {
                // The line holding the byte the block is admitted from is read on its own.
                let line = reader.next_line(u64::MAX).unwrap().expect("the admitted line");
                assert!(passed <= at && at < passed + line.bytes);
                found.push((line.text.to_vec(), line.bytes, line.too_long));
                continue;
            }
            if let Some(passed) = passed {
                let lines = &expected[found.len()..found.len() + passed.lines as usize];
                assert_eq!(passed.bytes, lines.iter().map(|(_, bytes, _)| bytes).sum::<u64>());
                blank += passed.blank;
                assert_eq!(
                    passed.blank,
                    lines
                        .iter()
                        .filter(|(text, ..)| text.trim_ascii().is_empty())
                        .count() as u64
                );
                found.extend(lines.iter().cloned());
                assert_eq!(passed.next_admitted, admitted_at.is_some());
                admitted += u64::from(passed.next_admitted);
                read_next = admitted_at.map(|at| (passed.bytes, at as u64));
                continue;
            }
            match reader.next_line(u64::MAX).unwrap() {
                Some(line) => found.push((line.text.to_vec(), line.bytes, line.too_long)),
                None => break,
            }
        }
        assert_eq!(found, expected);
        assert!(
            tested >= 6 && blank > 0 && admitted >= 3,
            "{tested} blocks tested, {blank} blank lines passed, {admitted} admitted"
        );
        // Lines longer than the limit are never passed over unseen.
        let (_file, mut reader) = file_mapped(text.as_bytes(), text.len());
        assert!(reader.pass_rejected_block(100, |_| None).unwrap().is_none());
    }

    #[test]
    fn a_mapped_file_cut_short_fails_the_read() {
        let text = "a line of text\n".repeat(100_000);
        let (file, mut reader) = file_mapped(text.as_bytes(), text.len());
        assert_eq!(
            reader.next_line(u64::MAX).unwrap().unwrap().text,
            b"a line of text\n"
        );
        std::fs::OpenOptions::new()
            .write(true)
            .open(file.path())
            .unwrap()
            .set_len(5000)
            .unwrap();
        let error = loop {
            match reader.next_line(u64::MAX) {
                Ok(Some(line)) => assert!(line.text.is_empty() || line.text.ends_with(b"text\n")),
                Ok(None) => panic!("the end of a file cut short was taken for its end"),
                Err(error) => break error,
            }
        };
        assert_eq!(error.to_string(), "the file was cut short while it was read");
    }

    #[test]
    fn a_long_line_gives_its_memory_back() {
        let mut text = vec![b'x'; 5 * READ];
        text.extend_from_slice(b"\nshort\n");
        let mut reader = LineReader::new(&text[..]);
        assert_eq!(
            reader.next_line(u64::MAX).unwrap().unwrap().bytes,
            5 * READ as u64 + 1
        );
        assert_eq!(reader.next_line(u64::MAX).unwrap().unwrap().text, b"short\n");
        text.extend_from_slice(&vec![b'y'; 3 * READ]);
        text.extend_from_slice(b"\nlast");
        let mut reader = LineReader::new(&text[..]);
        assert!(reader.next_line(u64::MAX).unwrap().unwrap().held > 5 * READ);
        reader.next_line(u64::MAX).unwrap();
        let after = reader.next_line(u64::MAX).unwrap().unwrap();
        assert_eq!(after.bytes, 3 * READ as u64 + 1);
        assert!(after.held <= 8 * READ, "the first line's memory is given back");
        let mut reader = LineReader::new(&text[..]);
        let line = reader.next_line(10).unwrap().unwrap();
        assert!(
            line.too_long && line.held <= 2 * READ,
            "a line over the limit is not held"
        );
    }
}
