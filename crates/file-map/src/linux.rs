//! The maps and the SIGBUS handler (see the crate's documentation).

use std::ffi::{c_int, c_void};
use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// How many maps can be live at once; a map asked for beyond that is refused (`Ok(None)`) and its
/// file read instead. Scans map one file range each, so this is far above the scans a query runs.
const SLOTS: usize = 256;

/// The `end` of a slot that is being filled in or emptied: the handler passes it by.
const CLAIMED: usize = usize::MAX;

/// A live map's address range, readable from the signal handler (atomics only, no locks).
struct Slot {
    start: AtomicUsize,
    /// One past the map's last page; 0 when the slot is free, [`CLAIMED`] while it changes.
    end: AtomicUsize,
    cut_short: AtomicBool,
}

static LIVE: [Slot; SLOTS] = [const {
    Slot {
        start: AtomicUsize::new(0),
        end: AtomicUsize::new(0),
        cut_short: AtomicBool::new(false),
    }
}; SLOTS];

/// The SIGBUS action before ours, to hand on faults outside our maps; unset if installing failed.
static PREVIOUS: OnceLock<Option<libc::sigaction>> = OnceLock::new();
static PAGE: AtomicUsize = AtomicUsize::new(0);

/// A read-only map of part of a file. Its bytes read as zeros after the part it covers was cut off
/// the file; [`FileMap::cut_short`] then says so.
pub struct FileMap {
    /// The map as made: page-aligned.
    base: *mut c_void,
    mapped: usize,
    /// Where the asked-for bytes start in the map.
    skip: usize,
    len: usize,
    slot: &'static Slot,
}

// The map is read-only memory owned by this value; reading it from any thread is sound.
unsafe impl Send for FileMap {}
unsafe impl Sync for FileMap {}

impl FileMap {
    /// Maps bytes `start..start + len` of `file`. `Ok(None)` when a map cannot be guarded (the
    /// handler could not be installed, or too many maps are live) or `len` is 0: read the file then.
    /// An error is the system's refusal to map (a pipe, a file system without maps).
    pub fn new(file: &File, start: u64, len: usize) -> io::Result<Option<FileMap>> {
        if len == 0 || !guard_installed() {
            return Ok(None);
        }
        let page = PAGE.load(Ordering::Relaxed);
        let skip = (start % page as u64) as usize;
        let Some(mapped) = len.checked_add(skip) else {
            return Ok(None);
        };
        let Some(slot) = LIVE.iter().find(|slot| {
            slot.end
                .compare_exchange(0, CLAIMED, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
        }) else {
            return Ok(None);
        };
        let offset = (start - skip as u64) as libc::off_t;
        // SAFETY: a fresh shared read-only map of an open file; the kernel picks the address.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                mapped,
                libc::PROT_READ,
                libc::MAP_SHARED,
                file.as_raw_fd(),
                offset,
            )
        };
        if base == libc::MAP_FAILED {
            let error = io::Error::last_os_error();
            slot.end.store(0, Ordering::Release);
            return Err(error);
        }
        // Pages that are not in the page cache yet are read in as huge folios: a map of a file the
        // page cache holds in 4 KiB pages costs a page-table entry, a reverse-map entry and counters
        // for every page, which made reads of files that earlier maps had read in about as slow as
        // copying them. Only a hint (THP may be off, or unsupported by the file system).
        // SAFETY: advice on the map just made.
        unsafe { libc::madvise(base, mapped, libc::MADV_HUGEPAGE) };
        slot.start.store(base as usize, Ordering::Relaxed);
        slot.cut_short.store(false, Ordering::Relaxed);
        slot.end
            .store(base as usize + mapped.next_multiple_of(page), Ordering::Release);
        Ok(Some(FileMap {
            base,
            mapped,
            skip,
            len,
            slot,
        }))
    }

    pub fn bytes(&self) -> &[u8] {
        // SAFETY: the map is `mapped` readable bytes for as long as `self` lives; a page cut off the
        // file is replaced by a zero page in the handler rather than left to fault.
        unsafe { std::slice::from_raw_parts(self.base.cast::<u8>().add(self.skip), self.len) }
    }

    /// Whether a read touched a page that was no longer in the file: from that page on the map reads
    /// as zeros, so what was read from it may be wrong.
    pub fn cut_short(&self) -> bool {
        self.slot.cut_short.load(Ordering::Acquire)
    }
}

impl Drop for FileMap {
    fn drop(&mut self) {
        // Out of the handler's sight before the range is unmapped: the kernel may hand the same
        // addresses to another map, whose faults are not ours.
        self.slot.end.store(CLAIMED, Ordering::Release);
        // SAFETY: unmaps the map made in `new` (and any zero pages put over part of it).
        unsafe { libc::munmap(self.base, self.mapped) };
        self.slot.start.store(0, Ordering::Relaxed);
        self.slot.end.store(0, Ordering::Release);
    }
}

/// Installs the handler once; whether it is in place.
fn guard_installed() -> bool {
    PREVIOUS
        .get_or_init(|| {
            // SAFETY: sysconf and sigaction with valid, zero-initialised arguments.
            unsafe {
                let page = libc::sysconf(libc::_SC_PAGESIZE);
                if page <= 0 {
                    return None;
                }
                PAGE.store(page as usize, Ordering::Relaxed);
                let mut previous: libc::sigaction = std::mem::zeroed();
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_sigbus as *const () as libc::sighandler_t;
                action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
                libc::sigemptyset(&mut action.sa_mask);
                (libc::sigaction(libc::SIGBUS, &action, &mut previous) == 0).then_some(previous)
            }
        })
        .is_some()
}

/// SIGBUS: a fault inside a live map is answered with zero pages over the rest of the map, and the
/// read that faulted runs on; any other goes to the previous action. Only atomics and system calls
/// here, as a signal handler must.
extern "C" fn on_sigbus(signal: c_int, info: *mut libc::siginfo_t, context: *mut c_void) {
    // SAFETY: the kernel passes a valid siginfo to an SA_SIGINFO handler.
    let address = unsafe { (*info).si_addr() } as usize;
    let page = PAGE.load(Ordering::Relaxed);
    for slot in &LIVE {
        let end = slot.end.load(Ordering::Acquire);
        if end == 0 || end == CLAIMED {
            continue;
        }
        let start = slot.start.load(Ordering::Relaxed);
        if !(start..end).contains(&address) {
            continue;
        }
        let from = address - address % page;
        // SAFETY: replaces pages of our own live map (from its faulting page to its end) with
        // anonymous zero pages at the same addresses.
        let zeros = unsafe {
            libc::mmap(
                from as *mut c_void,
                end - from,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                -1,
                0,
            )
        };
        if zeros != libc::MAP_FAILED {
            slot.cut_short.store(true, Ordering::Release);
            return;
        }
        break;
    }
    hand_on(signal, info, context);
}

/// Gives a fault that is not ours to the action installed before: its handler is called; for the
/// default action it is put back, and the fault, raised again when the handler returns, kills the
/// process as it would have without us.
fn hand_on(signal: c_int, info: *mut libc::siginfo_t, context: *mut c_void) {
    let previous = PREVIOUS.get().copied().flatten();
    let handler = previous.map_or(libc::SIG_DFL, |action| action.sa_sigaction);
    if handler == libc::SIG_DFL || handler == libc::SIG_IGN {
        // SAFETY: sigaction is async-signal-safe; the default action for SIGBUS.
        unsafe {
            let mut default: libc::sigaction = std::mem::zeroed();
            default.sa_sigaction = libc::SIG_DFL;
            libc::sigaction(signal, &default, std::ptr::null_mut());
        }
        return;
    }
    let takes_info = previous.is_some_and(|action| action.sa_flags & libc::SA_SIGINFO != 0);
    // SAFETY: the previous handler, called as it was registered to be called.
    unsafe {
        if takes_info {
            let handler: extern "C" fn(c_int, *mut libc::siginfo_t, *mut c_void) =
                std::mem::transmute(handler);
            handler(signal, info, context);
        } else {
            let handler: extern "C" fn(c_int) = std::mem::transmute(handler);
            handler(signal);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_of(bytes: &[u8]) -> (tempfile::NamedTempFile, File) {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(bytes).unwrap();
        file.flush().unwrap();
        let read = File::open(file.path()).unwrap();
        (file, read)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

        /// A map holds exactly the bytes asked for, from any offset.
        #[test]
        fn a_map_is_the_files_bytes(length in 1usize..20_000, start in 0usize..20_000, len in 1usize..20_000) {
            let bytes: Vec<u8> = (0..length).map(|i| (i * 7 + i / 251) as u8).collect();
            let (_file, read) = file_of(&bytes);
            let start = start % length;
            let len = len.min(length - start);
            let map = FileMap::new(&read, start as u64, len).unwrap().unwrap();
            proptest::prop_assert_eq!(map.bytes(), &bytes[start..start + len]);
            proptest::prop_assert!(!map.cut_short());
        }
    }

    #[test]
    fn a_file_cut_short_reads_as_zeros_and_says_so() {
        let page = 4096 * 4;
        let bytes = vec![b'x'; page * 8];
        let (file, read) = file_of(&bytes);
        let map = FileMap::new(&read, 0, bytes.len()).unwrap().unwrap();
        assert_eq!(map.bytes()[0], b'x');
        std::fs::OpenOptions::new()
            .write(true)
            .open(file.path())
            .unwrap()
            .set_len(page as u64 * 2 + 10)
            .unwrap();
        // Touching the pages past the new end raises SIGBUS, which the handler turns into zeros.
        let total: u64 = map.bytes().iter().map(|&b| u64::from(b)).sum();
        assert!(map.cut_short());
        assert!(
            total <= (page as u64 * 3) * u64::from(b'x'),
            "the pages cut off read as zeros"
        );
        assert_eq!(map.bytes()[page * 5], 0);
        assert_eq!(&map.bytes()[..page * 2 + 10], &bytes[..page * 2 + 10]);
        drop(map);
        // A later map of the same slot starts clean.
        let again = FileMap::new(&read, 0, page).unwrap().unwrap();
        assert!(!again.cut_short());
    }

    /// Maps made, read and cut short on several threads at once: each sees only its own fault.
    #[test]
    fn faults_are_told_apart_across_threads() {
        let threads: Vec<_> = (0..8)
            .map(|index| {
                std::thread::spawn(move || {
                    for round in 0..20 {
                        let bytes = vec![b'a' + index as u8; 64 << 10];
                        let (file, read) = file_of(&bytes);
                        let map = FileMap::new(&read, 0, bytes.len()).unwrap().unwrap();
                        let cut = (index + round) % 2 == 0;
                        if cut {
                            std::fs::OpenOptions::new()
                                .write(true)
                                .open(file.path())
                                .unwrap()
                                .set_len(100)
                                .unwrap();
                        }
                        let last = map.bytes()[bytes.len() - 1];
                        assert_eq!(map.cut_short(), cut);
                        assert_eq!(last, if cut { 0 } else { b'a' + index as u8 });
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
    }

    /// A SIGBUS outside the guarded maps still kills the process: an unguarded map of a truncated
    /// file is touched in a child process (this test binary, run again for this test alone).
    #[test]
    fn a_fault_outside_the_maps_still_kills() {
        const CHILD: &str = "TORHUNT_FILE_MAP_UNGUARDED_CHILD";
        if std::env::var_os(CHILD).is_some() {
            let (file, read) = file_of(&vec![b'x'; 1 << 16]);
            let _guarded = FileMap::new(&read, 0, 1 << 16).unwrap().unwrap();
            // SAFETY: a test of exactly the fault this crate exists to catch, outside its maps.
            let bytes = unsafe {
                let base = libc::mmap(
                    std::ptr::null_mut(),
                    1 << 16,
                    libc::PROT_READ,
                    libc::MAP_SHARED,
                    read.as_raw_fd(),
                    0,
                );
                assert_ne!(base, libc::MAP_FAILED);
                std::slice::from_raw_parts(base.cast::<u8>(), 1 << 16)
            };
            std::fs::OpenOptions::new()
                .write(true)
                .open(file.path())
                .unwrap()
                .set_len(0)
                .unwrap();
            println!("touched: {}", std::hint::black_box(bytes[60_000]));
            std::process::exit(0);
        }
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "linux::tests::a_fault_outside_the_maps_still_kills",
                "--nocapture",
            ])
            .env(CHILD, "1")
            .status()
            .unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(libc::SIGBUS), "{status:?}");
    }
}
