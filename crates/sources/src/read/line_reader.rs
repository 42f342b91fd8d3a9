//! Lines of a text stream handed out in place, in the buffer the stream is read into.
//!
//! Copying each line out of a `BufReader` into a line buffer was a pass over every byte of a selective
//! Event Hub hunt (7%), next to the kernel's own copy into the reader's buffer; a line here is a slice
//! of the one buffer the kernel copies into, and only a line cut off by the end of a read is moved, to
//! the buffer's start. Reads stay [`READ`] bytes, small enough to remain in a core's cache between the
//! kernel's copy and the scan over it (see `format::open_text`); a `BufReader` below hands such reads
//! straight through.

use std::io::{ErrorKind, Read};

/// Bytes asked of the stream at a time.
const READ: usize = 256 << 10;

pub(crate) struct LineReader<R> {
    inner: R,
    /// Read text is `buffer[start..end]`; `buffer[start..searched]` holds no line break.
    buffer: Vec<u8>,
    start: usize,
    searched: usize,
    end: usize,
    ended: bool,
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
            buffer: Vec::new(),
            start: 0,
            searched: 0,
            end: 0,
            ended: false,
        }
    }

    /// The next line, `None` at the stream's end. A line longer than `max` bytes (its line break
    /// counted) is read past without being held: it costs at most `max` bytes (and a read) of memory.
    pub fn next_line(&mut self, max: u64) -> std::io::Result<Option<ReadLine<'_>>> {
        let mut passed = 0u64;
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
        let mut reader = LineReader::new(Trickle(text, step));
        let mut out = Vec::new();
        while let Some(line) = reader.next_line(max).unwrap() {
            out.push((line.text.to_vec(), line.bytes, line.too_long));
        }
        out
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
        }
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
