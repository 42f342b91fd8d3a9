//! The seam between readers and storage: a [`ByteSource`] is a file's bytes, on local disk or in an
//! object store. Readers only open it at an offset or read a range of it.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;

use crate::blob::ObjectBlob;

#[derive(Debug, Clone)]
pub enum ByteSource {
    Local(PathBuf),
    Blob(Arc<ObjectBlob>),
}

impl ByteSource {
    /// The file's path, or the blob's URL, for messages.
    pub fn name(&self) -> &Path {
        match self {
            ByteSource::Local(path) => path,
            ByteSource::Blob(blob) => Path::new(blob.display()),
        }
    }

    /// A reader from byte `start` to the end (for a blob: the length it had when listed).
    pub fn open(&self, start: u64) -> io::Result<Box<dyn Read + Send>> {
        self.open_expecting(start, None)
    }

    /// [`ByteSource::open`] for a reader that expects to stop near `expected_end` (a byte-range
    /// partition): a blob is not read ahead beyond it.
    pub fn open_expecting(&self, start: u64, expected_end: Option<u64>) -> io::Result<Box<dyn Read + Send>> {
        match self {
            ByteSource::Local(path) => {
                let mut file = File::open(path)?;
                if start > 0 {
                    file.seek(SeekFrom::Start(start))?;
                }
                Ok(Box::new(file))
            }
            ByteSource::Blob(blob) => Ok(Box::new(blob.reader(start, expected_end))),
        }
    }

    /// Bytes `range` (shorter only at the end of the file).
    pub fn read_range(&self, range: Range<u64>) -> io::Result<Bytes> {
        match self {
            ByteSource::Local(_) => {
                let mut buffer = Vec::new();
                self.open(range.start)?
                    .take(range.end.saturating_sub(range.start))
                    .read_to_end(&mut buffer)?;
                Ok(Bytes::from(buffer))
            }
            ByteSource::Blob(blob) => blob.read_range(range),
        }
    }

    /// The length (for a blob: when listed).
    pub fn size(&self) -> io::Result<u64> {
        match self {
            ByteSource::Local(path) => Ok(std::fs::metadata(path)?.len()),
            ByteSource::Blob(blob) => Ok(blob.size()),
        }
    }

    pub fn is_local(&self) -> bool {
        matches!(self, ByteSource::Local(_))
    }
}

impl PartialEq for ByteSource {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ByteSource::Local(a), ByteSource::Local(b)) => a == b,
            (ByteSource::Blob(a), ByteSource::Blob(b)) => a.display() == b.display() && a.size() == b.size(),
            _ => false,
        }
    }
}

impl Eq for ByteSource {}
