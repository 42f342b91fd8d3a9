//! One watcher per state folder: a second lock on the folder is refused, naming the folder and the
//! holder's pid, until the first is released. (The CLI test kills a running watcher with SIGKILL.)

use torhunt_watch::StateLock;

#[test]
fn a_second_lock_is_refused_with_the_holders_pid_until_the_first_is_released() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let first = StateLock::acquire(&state).unwrap();
    let error = StateLock::acquire(&state).unwrap_err().to_string();
    assert!(error.contains(&state.display().to_string()), "{error}");
    assert!(error.contains(&format!("pid {}", std::process::id())), "{error}");
    drop(first);
    StateLock::acquire(&state).unwrap();
}
