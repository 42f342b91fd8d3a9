//! Walking folders without visiting anything twice. A folder reached again through a symbolic link (a
//! loop, or two links to one folder) is walked once; a file reached again (a symbolic or hard link to a
//! file already found) is taken once. Both are remembered as [`Repeat`]s for the caller to report.
//! Entries are visited in name order, hidden ones (`.name`) skipped, so the first path of a file is
//! always the same.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What makes two paths the same file or folder: device and inode on Unix, else the canonical path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Identity {
    #[cfg(unix)]
    device_inode: (u64, u64),
    #[cfg(not(unix))]
    canonical: PathBuf,
}

fn identity(path: &Path) -> std::io::Result<Identity> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let metadata = std::fs::metadata(path)?;
        Ok(Identity {
            device_inode: (metadata.dev(), metadata.ino()),
        })
    }
    #[cfg(not(unix))]
    {
        Ok(Identity {
            canonical: std::fs::canonicalize(path)?,
        })
    }
}

/// A path met again, and the path it was first met as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    pub path: PathBuf,
    pub same_as: PathBuf,
}

/// One walk over any number of folders and files, sharing what it has seen.
#[derive(Debug, Default)]
pub struct Walk {
    folders: HashMap<Identity, PathBuf>,
    files: HashMap<Identity, PathBuf>,
    repeats: Vec<Repeat>,
    /// Paths of files already taken, so that naming one path twice is not reported as a repeat.
    taken: HashSet<PathBuf>,
}

impl Walk {
    pub fn new() -> Walk {
        Walk::default()
    }

    /// The files under `dir` (recursively) that `take` accepts, each once; the others go to `others`.
    pub fn folder(
        &mut self,
        dir: &Path,
        take: &mut dyn FnMut(&Path) -> bool,
        found: &mut Vec<PathBuf>,
        others: &mut Vec<PathBuf>,
    ) -> std::io::Result<()> {
        let id = identity(dir)?;
        if let Some(first) = self.folders.get(&id) {
            self.repeats.push(Repeat {
                path: dir.to_path_buf(),
                same_as: first.clone(),
            });
            return Ok(());
        }
        self.folders.insert(id, dir.to_path_buf());
        let mut entries = std::fs::read_dir(dir)?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<std::io::Result<Vec<_>>>()?;
        entries.sort();
        for path in entries {
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            if path.is_dir() {
                self.folder(&path, take, found, others)?;
            } else if !take(&path) {
                others.push(path);
            } else if self.first_time(&path)? {
                found.push(path);
            }
        }
        Ok(())
    }

    /// Whether `path` is a file not met before under another path (a repeat is remembered).
    pub fn first_time(&mut self, path: &Path) -> std::io::Result<bool> {
        if !self.taken.insert(path.to_path_buf()) {
            return Ok(false);
        }
        let id = identity(path)?;
        match self.files.get(&id) {
            Some(first) => {
                self.repeats.push(Repeat {
                    path: path.to_path_buf(),
                    same_as: first.clone(),
                });
                Ok(false)
            }
            None => {
                self.files.insert(id, path.to_path_buf());
                Ok(true)
            }
        }
    }

    /// Folders and files met again, in the order met.
    pub fn repeats(&self) -> &[Repeat] {
        &self.repeats
    }

    pub fn into_repeats(self) -> Vec<Repeat> {
        self.repeats
    }
}
