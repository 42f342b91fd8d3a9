//! What is new in the watched folders and containers: files (blobs) that appeared, and the complete
//! lines appended to files that grew, as byte ranges ("pieces") of the originals.
//!
//! Line-based files (JSON lines, Event Hub captures, CSV, Zeek logs) are read up to their last line
//! break: a record still being written is left for the next cycle. Files that cannot be read in part
//! (Parquet, gzip, EVTX) are taken whole, again whenever they change (alerts already written are not
//! written twice). A line-based file that shrank was replaced: it is read again from its start, and
//! the cycle says so. A blob is also known by its ETag and a hash of its last bytes read: an ETag
//! that changed over the same bytes is a blob that grew in place (an append blob); over other bytes,
//! a blob rewritten, read again from its start ([`crate::containers`]).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use torhunt_storage::{ByteSource, StorageUrl, Stores};

use crate::containers;
use crate::error::WatchError;

/// How much of a file has been taken, and what it looked like then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMark {
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub modified: Option<i64>,
    /// Bytes taken: new records start here.
    pub read_to: u64,
    /// A blob's ETag when listed (it changes with every append, and when the blob is rewritten).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// A line-based blob's last bytes before `read_to`, hashed ([`tail_hash`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tail_hash: Option<String>,
}

/// How a file is cut into pieces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cut {
    /// Complete lines; pieces after the first need no header.
    Lines,
    /// Complete lines, and a later piece is read after the file's first line (a CSV header).
    LinesAfterHeader,
    /// Complete lines, and a later piece is read after the file's leading `#` lines (Zeek's header).
    LinesAfterHashHeader,
    /// The whole file, again when it changes.
    Whole,
}

impl Cut {
    pub fn of(path: &Path) -> Cut {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match extension.as_str() {
            "parquet" | "gz" | "evtx" => Cut::Whole,
            "csv" => Cut::LinesAfterHeader,
            "log" | "tsv" => Cut::LinesAfterHashHeader,
            _ => Cut::Lines,
        }
    }
}

/// New bytes of one file: `[start, end)`, and where the file was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    /// The file's path, or the blob's URL (as shown: without a SAS token).
    pub path: PathBuf,
    /// The file's path under its `--data` root, prefixed by the root's position (`0/...`); a blob's
    /// is its container and key (`0/<container>/<key>`). The folder and file names that tell its
    /// table are kept when the piece is staged.
    pub relative: PathBuf,
    /// A blob's key in its container (`None` for a local file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blob_key: Option<String>,
    pub start: u64,
    pub end: u64,
    pub cut: Cut,
}

/// What a scan found.
#[derive(Debug, Default)]
pub struct Scan {
    pub pieces: Vec<Piece>,
    /// The marks to keep once the pieces are recorded.
    pub marks: BTreeMap<PathBuf, FileMark>,
    /// Files that shrank, and blobs rewritten, read again from the start.
    pub replaced: Vec<PathBuf>,
    /// The positions of the roots where something was found (an empty folder or container has no
    /// telemetry to open yet).
    pub roots_with_files: Vec<usize>,
}

/// A file or blob as listed now.
pub(crate) struct Listed {
    pub path: PathBuf,
    pub relative: PathBuf,
    pub root: usize,
    pub source: ByteSource,
    pub size: u64,
    pub modified: Option<i64>,
    /// A blob's key and ETag.
    pub blob: Option<BlobVersion>,
}

pub(crate) struct BlobVersion {
    pub key: String,
    pub etag: Option<String>,
}

/// Refuses a `--data` root a watcher cannot watch: a local path that does not exist, a storage URL
/// torhunt cannot read, or one with a glob pattern.
pub fn check_root(root: &Path) -> Result<(), WatchError> {
    match StorageUrl::parse(&root.to_string_lossy()) {
        Some(url) => containers::check_url(&url?),
        None if root.exists() => Ok(()),
        None => Err(WatchError::Unsupported(format!(
            "--data {}: not a local file or folder, nor a storage URL",
            root.display()
        ))),
    }
}

/// Finds what is new under `roots` (folders, files and storage URLs) since `marks`.
pub fn scan(
    roots: &[PathBuf],
    stores: &Stores,
    marks: &BTreeMap<PathBuf, FileMark>,
) -> Result<Scan, WatchError> {
    let mut listed = Vec::new();
    for (index, root) in roots.iter().enumerate() {
        match StorageUrl::parse(&root.to_string_lossy()) {
            Some(url) => containers::list(&url?, index, stores, &mut listed)?,
            None => list_local(root, index, &mut listed)?,
        }
    }
    let mut scan = Scan::default();
    for entry in listed {
        if scan.roots_with_files.last() != Some(&entry.root) {
            scan.roots_with_files.push(entry.root);
        }
        take_new(entry, marks, &mut scan)?;
    }
    Ok(scan)
}

/// The files under a local root (a folder, or one file).
fn list_local(root: &Path, index: usize, listed: &mut Vec<Listed>) -> Result<(), WatchError> {
    let metadata = std::fs::metadata(root).map_err(|e| WatchError::io(root, e))?;
    let mut found = Vec::new();
    if metadata.is_dir() {
        walk(root, root, index, &mut found)?;
    } else {
        let name = root.file_name().map(PathBuf::from).unwrap_or_default();
        found.push((root.to_path_buf(), PathBuf::from(index.to_string()).join(name)));
    }
    for (path, relative) in found {
        let metadata = std::fs::metadata(&path).map_err(|e| WatchError::io(&path, e))?;
        let modified = metadata
            .modified()
            .ok()
            .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
            .and_then(|d| i64::try_from(d.as_nanos()).ok());
        listed.push(Listed {
            source: ByteSource::Local(path.clone()),
            path,
            relative,
            root: index,
            size: metadata.len(),
            modified,
            blob: None,
        });
    }
    Ok(())
}

/// Adds what is new in one listed file to `scan`, and its mark.
fn take_new(entry: Listed, marks: &BTreeMap<PathBuf, FileMark>, scan: &mut Scan) -> Result<(), WatchError> {
    let Listed {
        path,
        relative,
        source,
        size,
        modified,
        blob,
        ..
    } = entry;
    let (blob_key, etag) = blob.map_or((None, None), |b| (Some(b.key), b.etag));
    let cut = Cut::of(&path);
    let previous = marks.get(&path);
    let unchanged = previous.is_some_and(|m| m.size == size && m.modified == modified && m.etag == etag);
    let mut read_to = previous.map_or(0, |m| m.read_to);
    let mut replaced = false;
    let end = match cut {
        Cut::Whole => {
            read_to = if unchanged { size } else { 0 };
            size
        }
        // An unchanged blob has nothing new, and asking would cost a request.
        _ if blob_key.is_some() && unchanged => read_to,
        _ => {
            let rewritten = blob_key.is_some()
                && read_to > 0
                && read_to <= size
                && Some(tail_hash(&source, read_to)?) != previous.and_then(|m| m.tail_hash.clone());
            if read_to > size || rewritten {
                replaced = true;
                read_to = 0;
            }
            last_line_end(&source, read_to, size)?
        }
    };
    if replaced {
        scan.replaced.push(path.clone());
    }
    // Only line-based blobs need it: files read whole are known by their ETag, local files by
    // their size and modification time.
    let tail = match (&blob_key, cut) {
        (None, _) | (_, Cut::Whole) => None,
        _ if end == 0 => None,
        _ if !replaced && previous.is_some_and(|m| m.read_to == end) => {
            previous.and_then(|m| m.tail_hash.clone())
        }
        _ => Some(tail_hash(&source, end)?),
    };
    if end > read_to {
        scan.pieces.push(Piece {
            path: path.clone(),
            relative,
            blob_key,
            start: read_to,
            end,
            cut,
        });
    }
    scan.marks.insert(
        path,
        FileMark {
            size,
            modified,
            read_to: end.max(read_to),
            etag,
            tail_hash: tail,
        },
    );
    Ok(())
}

/// Every regular file under `dir`, sorted, with its path relative to `root` under the root's index.
/// Hidden files and folders (`.name`) are left out: editors' and uploaders' temporary files.
fn walk(
    root: &Path,
    dir: &Path,
    index: usize,
    found: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<(), WatchError> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| WatchError::io(dir, e))?
        .collect::<Result<_, _>>()
        .map_err(|e| WatchError::io(dir, e))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        // Links are not followed: a folder linked into itself would be walked forever.
        let kind = entry.file_type().map_err(|e| WatchError::io(&path, e))?;
        if kind.is_dir() {
            walk(root, &path, index, found)?;
        } else if kind.is_file() {
            let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            found.push((path, PathBuf::from(index.to_string()).join(relative)));
        }
    }
    Ok(())
}

/// Bytes `range` of a file or blob, all of them (a file cut short since it was listed is an error).
fn read_exact_range(source: &ByteSource, start: u64, end: u64) -> Result<Vec<u8>, WatchError> {
    let bytes = source
        .read_range(start..end)
        .map_err(|e| WatchError::io(source.name(), e))?;
    if (bytes.len() as u64) < end - start {
        return Err(WatchError::io(
            source.name(),
            std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!("bytes {start}..{end} are gone: it was cut short while read"),
            ),
        ));
    }
    Ok(bytes.to_vec())
}

/// The end of the last complete line in `[from, size)` of the file (just after its `\n`), or `from`
/// when there is none; searched backwards, so a large new tail is not read whole.
fn last_line_end(source: &ByteSource, from: u64, size: u64) -> Result<u64, WatchError> {
    const BLOCK: u64 = 64 * 1024;
    let mut end = size;
    while end > from {
        let start = end.saturating_sub(BLOCK).max(from);
        let block = read_exact_range(source, start, end)?;
        if let Some(at) = block.iter().rposition(|b| *b == b'\n') {
            return Ok(start + at as u64 + 1);
        }
        end = start;
    }
    Ok(from)
}

/// Bytes of a blob hashed before the offset read to: enough to tell an append from a rewrite, one
/// small request.
pub const TAIL_BYTES: u64 = 4096;

/// 32 hex digits of SHA-256 over the [`TAIL_BYTES`] before `end`.
pub fn tail_hash(source: &ByteSource, end: u64) -> Result<String, WatchError> {
    let bytes = read_exact_range(source, end.saturating_sub(TAIL_BYTES), end)?;
    let digest = Sha256::digest(&bytes);
    Ok(digest[..16].iter().map(|b| format!("{b:02x}")).collect())
}

/// The longest header torhunt reads (a longer one is not a header torhunt reads either).
const HEADER_LIMIT: u64 = 1 << 20;

/// The header a later piece of a file is read after: its first line (CSV) or leading `#` lines (Zeek).
pub fn header(source: &ByteSource, cut: Cut) -> Result<Vec<u8>, WatchError> {
    if !matches!(cut, Cut::LinesAfterHeader | Cut::LinesAfterHashHeader) {
        return Ok(Vec::new());
    }
    let mut head = Vec::new();
    source
        .open_expecting(0, Some(HEADER_LIMIT))
        .and_then(|reader| reader.take(HEADER_LIMIT).read_to_end(&mut head))
        .map_err(|e| WatchError::io(source.name(), e))?;
    let mut end = 0;
    for line in head.split_inclusive(|b| *b == b'\n') {
        let is_header = match cut {
            Cut::LinesAfterHeader => end == 0,
            _ => line.starts_with(b"#"),
        };
        if !is_header || !line.ends_with(b"\n") {
            break;
        }
        end += line.len();
    }
    head.truncate(end);
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn append(path: &Path, text: &str) {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap();
        file.write_all(text.as_bytes()).unwrap();
    }

    #[test]
    fn grown_files_give_their_new_complete_lines() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sub").join("DeviceEvents.json");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        append(&file, "{\"a\":1}\n{\"a\":2");
        let roots = [dir.path().to_path_buf()];
        let stores = Stores::new(torhunt_storage::StorageSettings::default());
        let first = scan(&roots, &stores, &BTreeMap::new()).unwrap();
        assert_eq!(first.pieces.len(), 1);
        let piece = &first.pieces[0];
        assert_eq!((piece.start, piece.end), (0, 8), "the unfinished record waits");
        assert_eq!(piece.relative, Path::new("0/sub/DeviceEvents.json"));

        append(&file, "}\n{\"a\":3}\n");
        let second = scan(&roots, &stores, &first.marks).unwrap();
        assert_eq!((second.pieces[0].start, second.pieces[0].end), (8, 24));
        assert!(scan(&roots, &stores, &second.marks).unwrap().pieces.is_empty());

        std::fs::write(&file, "{\"b\":1}\n").unwrap();
        let third = scan(&roots, &stores, &second.marks).unwrap();
        assert_eq!(third.replaced, std::slice::from_ref(&file));
        assert_eq!((third.pieces[0].start, third.pieces[0].end), (0, 8));
    }

    #[test]
    fn headers_are_the_csv_first_line_or_zeek_hash_lines() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("a.csv");
        std::fs::write(&csv, "A,B\r\n1,2\r\n").unwrap();
        assert_eq!(
            header(&ByteSource::Local(csv.clone()), Cut::of(&csv)).unwrap(),
            b"A,B\r\n"
        );
        let zeek = dir.path().join("conn.log");
        std::fs::write(&zeek, "#separator \\x09\n#fields\tts\n1\t2\n").unwrap();
        assert_eq!(
            header(&ByteSource::Local(zeek.clone()), Cut::of(&zeek)).unwrap(),
            b"#separator \\x09\n#fields\tts\n"
        );
        let json = dir.path().join("a.json");
        assert!(
            header(&ByteSource::Local(json.clone()), Cut::of(&json))
                .unwrap()
                .is_empty()
        );
    }
}
