//! Read-only memory maps of local files that survive the file being cut short.
//!
//! A selective hunt over cached Event Hub files spent about half its CPU time in the kernel copying
//! file pages into read buffers (docs/decisions.md, "Files are mapped, with the fault caught"). A map
//! avoids the copy, but touching a mapped page that no longer exists (another process truncated the
//! file: copytruncate log rotation, an export being rewritten; or its storage failed) raises SIGBUS,
//! whose default action kills the process. Here a process-wide SIGBUS handler recognises faults inside
//! the live maps made by [`FileMap::new`], maps zero pages over the rest of that map so the faulting
//! read completes, and marks the map [`FileMap::cut_short`]; its reader checks the mark and fails with
//! an error naming the file. Any other SIGBUS goes on to the handler installed before (Rust's own,
//! which reports a stack overflow, or the default action).
//!
//! This is the workspace's only `unsafe` code: the map itself, and the handler.
#![allow(unsafe_code)]

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
pub use linux::FileMap;

/// Elsewhere nothing is mapped: [`FileMap::new`] always answers `Ok(None)`, and files are read.
#[cfg(not(target_os = "linux"))]
pub enum FileMap {}

#[cfg(not(target_os = "linux"))]
impl FileMap {
    pub fn new(_file: &std::fs::File, _start: u64, _len: usize) -> std::io::Result<Option<FileMap>> {
        Ok(None)
    }

    pub fn bytes(&self) -> &[u8] {
        match *self {}
    }

    pub fn cut_short(&self) -> bool {
        match *self {}
    }
}
