//! What is new in the watched folders: files that appeared, and the complete lines appended to files
//! that grew, as byte ranges ("pieces") of the original files.
//!
//! Line-based files (JSON lines, Event Hub captures, CSV, Zeek logs) are read up to their last line
//! break: a record still being written is left for the next cycle. Files that cannot be read in part
//! (Parquet, gzip, EVTX) are taken whole, again whenever their size or modification time changes
//! (alerts already written are not written twice). A line-based file that shrank was replaced: it is
//! read again from its start, and the cycle says so.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::WatchError;

/// How much of a file has been taken, and what it looked like then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMark {
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub modified: Option<i64>,
    /// Bytes taken: new records start here.
    pub read_to: u64,
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
    pub path: PathBuf,
    /// The file's path under its `--data` root, prefixed by the root's position (`0/...`), so the
    /// folder and file names that tell its table are kept when the piece is staged.
    pub relative: PathBuf,
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
    /// Files that shrank and are read again from the start.
    pub replaced: Vec<PathBuf>,
}

/// Finds what is new under `roots` since `marks`.
pub fn scan(roots: &[PathBuf], marks: &BTreeMap<PathBuf, FileMark>) -> Result<Scan, WatchError> {
    let mut found = Vec::new();
    for (index, root) in roots.iter().enumerate() {
        let metadata = std::fs::metadata(root).map_err(|e| WatchError::io(root, e))?;
        if metadata.is_dir() {
            walk(root, root, index, &mut found)?;
        } else {
            let name = root.file_name().map(PathBuf::from).unwrap_or_default();
            found.push((root.clone(), PathBuf::from(index.to_string()).join(name)));
        }
    }
    let mut scan = Scan::default();
    for (path, relative) in found {
        let metadata = std::fs::metadata(&path).map_err(|e| WatchError::io(&path, e))?;
        let modified = metadata
            .modified()
            .ok()
            .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
            .and_then(|d| i64::try_from(d.as_nanos()).ok());
        let size = metadata.len();
        let cut = Cut::of(&path);
        let previous = marks.get(&path);
        let mut read_to = previous.map_or(0, |m| m.read_to);
        let end = match cut {
            Cut::Whole => {
                let unchanged = previous.is_some_and(|m| m.size == size && m.modified == modified);
                read_to = if unchanged { size } else { 0 };
                size
            }
            _ => {
                if read_to > size {
                    scan.replaced.push(path.clone());
                    read_to = 0;
                }
                last_line_end(&path, read_to, size)?
            }
        };
        if end > read_to {
            scan.pieces.push(Piece {
                path: path.clone(),
                relative,
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
            },
        );
    }
    Ok(scan)
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

/// The end of the last complete line in `[from, size)` of the file (just after its `\n`), or `from`
/// when there is none; searched backwards, so a large new tail is not read whole.
fn last_line_end(path: &Path, from: u64, size: u64) -> Result<u64, WatchError> {
    const BLOCK: u64 = 64 * 1024;
    let mut file = File::open(path).map_err(|e| WatchError::io(path, e))?;
    let mut end = size;
    let mut buffer = vec![0u8; BLOCK as usize];
    while end > from {
        let start = end.saturating_sub(BLOCK).max(from);
        let block = &mut buffer[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))
            .and_then(|_| file.read_exact(block))
            .map_err(|e| WatchError::io(path, e))?;
        if let Some(at) = block.iter().rposition(|b| *b == b'\n') {
            return Ok(start + at as u64 + 1);
        }
        end = start;
    }
    Ok(from)
}

/// The header a later piece of a file is read after: its first line (CSV) or leading `#` lines (Zeek).
pub fn header(path: &Path, cut: Cut) -> Result<Vec<u8>, WatchError> {
    if !matches!(cut, Cut::LinesAfterHeader | Cut::LinesAfterHashHeader) {
        return Ok(Vec::new());
    }
    let mut file = File::open(path).map_err(|e| WatchError::io(path, e))?;
    let mut head = Vec::new();
    // A header longer than this is not one torhunt reads either.
    (&mut file)
        .take(1 << 20)
        .read_to_end(&mut head)
        .map_err(|e| WatchError::io(path, e))?;
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
        let first = scan(&roots, &BTreeMap::new()).unwrap();
        assert_eq!(first.pieces.len(), 1);
        let piece = &first.pieces[0];
        assert_eq!((piece.start, piece.end), (0, 8), "the unfinished record waits");
        assert_eq!(piece.relative, Path::new("0/sub/DeviceEvents.json"));

        append(&file, "}\n{\"a\":3}\n");
        let second = scan(&roots, &first.marks).unwrap();
        assert_eq!((second.pieces[0].start, second.pieces[0].end), (8, 24));
        assert!(scan(&roots, &second.marks).unwrap().pieces.is_empty());

        std::fs::write(&file, "{\"b\":1}\n").unwrap();
        let third = scan(&roots, &second.marks).unwrap();
        assert_eq!(third.replaced, std::slice::from_ref(&file));
        assert_eq!((third.pieces[0].start, third.pieces[0].end), (0, 8));
    }

    #[test]
    fn headers_are_the_csv_first_line_or_zeek_hash_lines() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("a.csv");
        std::fs::write(&csv, "A,B\r\n1,2\r\n").unwrap();
        assert_eq!(header(&csv, Cut::of(&csv)).unwrap(), b"A,B\r\n");
        let zeek = dir.path().join("conn.log");
        std::fs::write(&zeek, "#separator \\x09\n#fields\tts\n1\t2\n").unwrap();
        assert_eq!(
            header(&zeek, Cut::of(&zeek)).unwrap(),
            b"#separator \\x09\n#fields\tts\n"
        );
        let json = dir.path().join("a.json");
        assert!(header(&json, Cut::of(&json)).unwrap().is_empty());
    }
}
