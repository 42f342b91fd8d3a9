//! Pending pieces copied into a folder of their own, under the same relative paths (so the folder and
//! file names that tell a file's table still do), for the readers to take as telemetry: the new
//! records of a rule, and nothing else.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

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
pub fn stage<'p>(pieces: impl Iterator<Item = &'p Piece>, dir: &Path) -> Result<Staged, WatchError> {
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
        if let Err(reason) = stage_file(&pieces, &target, &mut staged) {
            staged.lost.push(reason);
            let _ = std::fs::remove_file(&target);
        }
    }
    Ok(staged)
}

fn stage_file(pieces: &[&Piece], target: &Path, staged: &mut Staged) -> Result<(), String> {
    let source = &pieces[0].path;
    let fail = |error: std::io::Error| format!("{}: {error}", source.display());
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    let mut out = File::create(target).map_err(fail)?;
    let mut file = File::open(source).map_err(fail)?;
    for (index, piece) in pieces.iter().enumerate() {
        if index == 0 && piece.start > 0 {
            let head = header(&piece.path, piece.cut).map_err(|e| e.to_string())?;
            out.write_all(&head).map_err(fail)?;
        }
        let length = piece.end - piece.start;
        file.seek(SeekFrom::Start(piece.start)).map_err(fail)?;
        let mut bytes = Vec::new();
        (&mut file).take(length).read_to_end(&mut bytes).map_err(fail)?;
        if (bytes.len() as u64) < length {
            return Err(format!(
                "{}: bytes {}..{} are gone (the file was cut short or replaced since they were found)",
                source.display(),
                piece.start,
                piece.end
            ));
        }
        staged.records += match piece.cut {
            Cut::Whole => 1,
            _ => bytes.iter().filter(|b| **b == b'\n').count() as u64,
        };
        staged.bytes += length;
        out.write_all(&bytes).map_err(fail)?;
    }
    Ok(())
}
