//! Discovery never visits a folder twice and reads every file once, however many links lead to it:
//! symbolic-link loops, links to folders and files, hard links.

#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::Path;

use torhunt_sources::{DataSet, ReadOptions};

use crate::table;

/// A portal CSV export of `rows` DeviceNetworkEvents rows.
fn export(path: &Path, rows: usize) {
    let mut text = String::from("Timestamp,DeviceName,ActionType,RemotePort\n");
    for row in 0..rows {
        text.push_str(&format!("2024-05-01T10:00:00Z,pc{row},ConnectionSuccess,443\n"));
    }
    std::fs::write(path, text).unwrap();
}

async fn rows(data: &DataSet) -> usize {
    table(data, "DeviceNetworkEvents").await.count().await.unwrap()
}

fn discover(paths: &[&Path]) -> DataSet {
    let paths: Vec<_> = paths.iter().map(|p| p.to_path_buf()).collect();
    DataSet::discover(&paths, &[], ReadOptions::default()).unwrap()
}

#[tokio::test]
async fn a_symbolic_link_loop_is_walked_once_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("DeviceNetworkEvents");
    std::fs::create_dir(&data).unwrap();
    export(&data.join("export.csv"), 200);
    symlink(&data, data.join("loop")).unwrap();
    let found = discover(&[dir.path()]);
    assert_eq!(rows(&found).await, 200);
    let repeats = found.repeats();
    assert_eq!(repeats.len(), 1, "{repeats:?}");
    assert_eq!(repeats[0].path, data.join("loop"));
    assert_eq!(repeats[0].same_as, data);
}

/// Two loops (to the folder itself and to its parent) made the old walk exponential.
#[tokio::test]
async fn two_loops_end_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("a").join("DeviceNetworkEvents");
    std::fs::create_dir_all(&inner).unwrap();
    export(&inner.join("export.csv"), 10);
    symlink(&inner, inner.join("self")).unwrap();
    symlink(dir.path().join("a"), inner.join("parent")).unwrap();
    let started = std::time::Instant::now();
    let found = discover(&[dir.path()]);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(rows(&found).await, 10);
    assert_eq!(found.repeats().len(), 2, "{:?}", found.repeats());
}

/// A file reached through a symbolic link, a hard link, or named twice on the command line is read
/// once (the first path in name order); links are reported.
#[tokio::test]
async fn links_to_one_file_read_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("DeviceNetworkEvents");
    std::fs::create_dir(&data).unwrap();
    let original = data.join("a.csv");
    export(&original, 7);
    std::fs::hard_link(&original, data.join("b.csv")).unwrap();
    symlink(&original, data.join("c.csv")).unwrap();
    let found = discover(&[dir.path(), &original, &data.join("b.csv")]);
    assert_eq!(rows(&found).await, 7);
    let repeated: Vec<_> = found.repeats().iter().map(|r| r.path.clone()).collect();
    assert_eq!(repeated, [data.join("b.csv"), data.join("c.csv")]);
    assert!(found.repeats().iter().all(|r| r.same_as == original));
}
