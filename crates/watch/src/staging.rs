//! Pending pieces copied into a folder of their own, under the same relative paths (so the folder and
//! file names that tell a file's table still do), for the readers to take as telemetry: the new
//! records of a rule, and nothing else. Local files and blobs are staged alike, so both go through
//! the same readers and the same rule evaluation.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use torhunt_storage::Stores;

use crate::containers::piece_source;
use crate::error::WatchError;
use crate::files::{Cut, Piece, header};

/// What was staged: bytes copied, and pieces that could no longer be read (the file was removed or
/// cut short since it was found), each with the reason.
#[derive(Debug, Default)]
pub struct Staged {
    pub bytes: u64,
    /// Records (lines) staged, or whole files for formats read whole.
    pub records: u64,
    pub lost: Vec<String>,
}

/// Copies `pieces` (in the order found) into `dir`, which is emptied first. Pieces of one file join
/// into one staged file, after the file's header; of a file read whole only the latest is kept.
/// Blobs are read through the stores of the `roots` that list them. Bytes are streamed: memory does
/// not grow with a piece's size.
pub fn stage<'p>(
    pieces: impl Iterator<Item = &'p Piece>,
    dir: &Path,
    roots: &[PathBuf],
    stores: &Stores,
) -> Result<Staged, WatchError> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| WatchError::io(dir, e))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| WatchError::io(dir, e))?;
    let mut by_file: BTreeMap<&Path, Vec<&Piece>> = BTreeMap::new();
    for piece in pieces {
        let list = by_file.entry(piece.relative.as_path()).or_default();
        if piece.cut == Cut::Whole {
            list.clear();
        }
        list.push(piece);
    }
    let mut staged = Staged::default();
    for (relative, pieces) in by_file {
        let target = dir.join(relative);
        if let Err(reason) = stage_file(&pieces, &target, roots, stores, &mut staged) {
            staged.lost.push(reason);
            let _ = std::fs::remove_file(&target);
        }
    }
    Ok(staged)
}

fn stage_file(
    pieces: &[&Piece],
    target: &Path,
    roots: &[PathBuf],
    stores: &Stores,
    staged: &mut Staged,
) -> Result<(), String> {
    let first = pieces[0];
    let fail = |error: std::io::Error| format!("{}: {error}", first.path.display());
    let readable_to = pieces.iter().map(|p| p.end).max().unwrap_or(0);
    let source = piece_source(first, readable_to, roots, stores)?;
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    let mut out = File::create(target).map_err(fail)?;
    for (index, piece) in pieces.iter().enumerate() {
        if index == 0 && piece.start > 0 {
            let head = header(&source, piece.cut).map_err(|e| e.to_string())?;
            out.write_all(&head).map_err(fail)?;
        }
        let length = piece.end - piece.start;
        let reader = source
            .open_expecting(piece.start, Some(piece.end))
            .map_err(fail)?;
        let mut counted = LineCounter {
            out: &mut out,
            lines: 0,
        };
        let copied = std::io::copy(&mut reader.take(length), &mut counted).map_err(fail)?;
        if copied < length {
            return Err(format!(
                "{}: bytes {}..{} are gone (the file was cut short or replaced since they were found)",
                first.path.display(),
                piece.start,
                piece.end
            ));
        }
        staged.records += match piece.cut {
            Cut::Whole => 1,
            _ => counted.lines,
        };
        staged.bytes += length;
    }
    Ok(())
}

/// Writes through, counting the line breaks written.
struct LineCounter<'w> {
    out: &'w mut File,
    lines: u64,
}

impl Write for LineCounter<'_> {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        let written = self.out.write(buffer)?;
        self.lines += buffer[..written].iter().filter(|b| **b == b'\n').count() as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}
