//! The NDJSON alert file. Each cycle appends its new alerts and fsyncs before the state that counts
//! them is saved; the state records the file's committed length. A cycle that died after writing and
//! before saving left lines the state does not count: the next start cuts them off, and that cycle's
//! work, redone, writes them again — so each alert is in the file exactly once.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use crate::error::WatchError;
use crate::state::OutputMark;

/// Opens the output for appending after cutting off what `mark` does not count. Returns the file and
/// the bytes cut (a note for the user when not zero). A file shorter than the mark was truncated or
/// replaced by someone else: it is kept as it is, and the new length becomes the mark.
pub fn open(path: &Path, mark: Option<&OutputMark>) -> Result<(File, u64), WatchError> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| WatchError::io(path, e))?;
    let length = file.metadata().map_err(|e| WatchError::io(path, e))?.len();
    let committed = mark.filter(|m| m.path == path).map_or(length, |m| m.committed);
    let cut = length.saturating_sub(committed);
    if cut > 0 {
        file.set_len(committed)
            .and_then(|()| file.sync_all())
            .map_err(|e| WatchError::io(path, e))?;
    }
    Ok((file, cut))
}

/// Appends `lines` (each without its line break) and fsyncs; returns the file's new length.
pub fn append(file: &mut File, path: &Path, lines: &[String]) -> Result<u64, WatchError> {
    let mut text = String::new();
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| WatchError::io(path, e))?;
    Ok(file.metadata().map_err(|e| WatchError::io(path, e))?.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uncommitted_tail_is_cut_off_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alerts.ndjson");
        let (mut file, cut) = open(&path, None).unwrap();
        assert_eq!(cut, 0);
        let committed = append(&mut file, &path, &["{\"a\":1}".into()]).unwrap();
        append(&mut file, &path, &["{\"a\":2}".into(), "{\"a\":".into()]).unwrap();
        drop(file);
        let mark = OutputMark {
            path: path.clone(),
            committed,
        };
        let (mut file, cut) = open(&path, Some(&mark)).unwrap();
        assert_eq!(cut, 14);
        append(&mut file, &path, &["{\"a\":3}".into()]).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{\"a\":1}\n{\"a\":3}\n");
    }
}
