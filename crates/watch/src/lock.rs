//! One watcher per state folder. Two watchers on one folder would both cut the output back, stage
//! into the same folder and replace each other's state: the second would write alerts the first
//! already wrote, or lose the first's progress. So a watcher holds an OS lock on `watch.lock` in the
//! folder for its whole life, with its pid written in the file for the message the next one gets.
//! The OS releases the lock when the process ends, however it ends: a watcher killed with SIGKILL
//! leaves no stale lock behind. `torhunt watch --status` only reads the state and takes no lock.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;

use crate::error::WatchError;

const LOCK_FILE: &str = "watch.lock";

/// The lock on a state folder, held until dropped.
#[derive(Debug)]
pub struct StateLock {
    _file: File,
}

impl StateLock {
    /// Locks `dir` (created when missing), or fails at once naming the process that holds it.
    pub fn acquire(dir: &Path) -> Result<StateLock, WatchError> {
        std::fs::create_dir_all(dir).map_err(|e| WatchError::io(dir, e))?;
        let path = dir.join(LOCK_FILE);
        // Not truncated on open: until this process holds the lock, the pid in it is the holder's.
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| WatchError::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                // The holder may not have written its pid yet: then it is unknown.
                let _ = file.read_to_string(&mut holder);
                return Err(WatchError::Locked {
                    dir: dir.to_path_buf(),
                    holder: holder.trim().parse().ok(),
                });
            }
            Err(std::fs::TryLockError::Error(error)) => return Err(WatchError::io(&path, error)),
        }
        file.set_len(0)
            .and_then(|()| file.write_all(format!("{}\n", std::process::id()).as_bytes()))
            .and_then(|()| file.flush())
            .map_err(|e| WatchError::io(&path, e))?;
        Ok(StateLock { _file: file })
    }
}
