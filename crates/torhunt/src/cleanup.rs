//! Temporary folders (the query engine's spill files, the demo's fleet) are removed on every exit
//! path: a [`TempFolder`] removes its folder when dropped (normal ends, errors, a closed output pipe),
//! and SIGINT, SIGTERM and SIGHUP are caught by a thread of their own, which removes the folders still
//! registered and ends the process with 128 + the signal number (what a shell reports for a process
//! the signal ended). Ending at once, rather than unwinding, also stops work stuck in a long
//! computation. A command that must not stop halfway (`watch`, whose cycle ends by saving its state)
//! asks for [`finish_work_on_signal`]: the first signal then only sets a flag it checks between
//! cycles, and a second one ends the process at once.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::Duration;

use crate::exit;
use crate::output::note_raw;

/// Folders to remove if a signal ends the process.
static REGISTERED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn registered() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    REGISTERED.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A new temporary folder, removed when dropped or when a signal ends the process.
pub struct TempFolder {
    dir: tempfile::TempDir,
}

impl TempFolder {
    /// A folder `torhunt-<purpose>-XXXXXX` in the system's temporary folder.
    pub fn new(purpose: &str) -> std::io::Result<TempFolder> {
        let dir = tempfile::Builder::new()
            .prefix(&format!("torhunt-{purpose}-"))
            .tempdir()?;
        registered().push(dir.path().to_path_buf());
        Ok(TempFolder { dir })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        // The `TempDir` inside removes the folder right after.
        registered().retain(|path| path != self.dir.path());
    }
}

/// Whether the first signal only asks the command to stop (see [`finish_work_on_signal`]).
static FINISH_WORK: AtomicBool = AtomicBool::new(false);
/// The signal that asked the command to stop; 0 while none has.
static STOP_SIGNAL: AtomicI32 = AtomicI32::new(0);

/// From now on the first SIGINT, SIGTERM or SIGHUP only sets [`stop_requested`]; the command ends
/// itself when its work is in a safe place (with [`end_by_signal`]). A second signal ends it at once.
pub fn finish_work_on_signal() {
    FINISH_WORK.store(true, Ordering::SeqCst);
}

/// The signal that asked the command to stop, if one has.
pub fn stop_requested() -> Option<i32> {
    match STOP_SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(signal),
    }
}

/// Starts the thread that turns SIGINT, SIGTERM and SIGHUP into a clean end. Called once, first thing.
pub fn catch_signals() {
    let spawned = std::thread::Builder::new()
        .name("torhunt-signals".to_string())
        .spawn(|| {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_io().build() else {
                return;
            };
            while let Some(signal) = runtime.block_on(next_signal()) {
                if FINISH_WORK.load(Ordering::SeqCst) && stop_requested().is_none() {
                    STOP_SIGNAL.store(signal, Ordering::SeqCst);
                    note_raw("stopping after this cycle (a second signal stops at once)\n");
                    continue;
                }
                end_by_signal(signal);
            }
        });
    // Without the thread, signals keep their default effect: the process still ends, only the
    // temporary folders stay behind.
    drop(spawned);
}

#[cfg(unix)]
async fn next_signal() -> Option<i32> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt()).ok()?;
    let mut terminate = signal(SignalKind::terminate()).ok()?;
    let mut hangup = signal(SignalKind::hangup()).ok()?;
    tokio::select! {
        _ = interrupt.recv() => Some(libc::SIGINT),
        _ = terminate.recv() => Some(libc::SIGTERM),
        _ = hangup.recv() => Some(libc::SIGHUP),
    }
}

#[cfg(not(unix))]
async fn next_signal() -> Option<i32> {
    tokio::signal::ctrl_c().await.ok()?;
    Some(2)
}

/// Ends the process as `signal` would, removing the temporary folders first.
pub fn end_by_signal(signal: i32) -> ! {
    end_process(exit::interrupted(signal))
}

/// The backstop of `--timeout`: queries past the deadline fail by themselves, but work that does not
/// notice it (one long computation inside a batch) would keep the process alive. If the process
/// still runs `after` from now, this ends it as a signal would, with exit status 2.
pub fn end_after(after: Duration, timeout: Duration) {
    let spawned = std::thread::Builder::new()
        .name("torhunt-timeout".to_string())
        .spawn(move || {
            std::thread::sleep(after);
            note_raw(&format!(
                "error: timed out: still running past the {timeout:?} time limit (--timeout); stopped\n"
            ));
            end_process(i32::from(exit::ERROR))
        });
    // Without the thread the queries are still bounded by the deadline; only the backstop is lost.
    drop(spawned);
}

/// Removes every registered folder and ends the process; the lock is held to the end, so no folder is
/// registered or dropped meanwhile.
fn end_process(status: i32) -> ! {
    let folders = registered();
    for folder in folders.iter() {
        let _ = std::fs::remove_dir_all(folder);
    }
    std::process::exit(status)
}
