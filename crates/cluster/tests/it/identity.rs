//! The build identity: what it is made of, and that a process of one build refuses another's plans.

use std::path::Path;

use torhunt_cluster::BUILD;

use crate::build_script::source_digest;

#[test]
fn the_build_is_the_version_and_the_digest_of_these_sources() {
    let (inputs, digest) = source_digest(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    assert_eq!(BUILD, format!("{} (build {digest})", env!("CARGO_PKG_VERSION")));
    assert!(
        digest.len() == 12 && digest.bytes().all(|b| b.is_ascii_hexdigit()),
        "{digest}"
    );
    // Every crate's sources count: a change in the relay intel or the readers changes answers too.
    for part in [
        "Cargo.lock",
        "crates/intel/src",
        "crates/sources/src",
        "crates/cluster/src",
    ] {
        assert!(
            inputs.iter().any(|i| i.ends_with(part)),
            "{part} not in {inputs:?}"
        );
    }
}

/// A workspace of two crates: what changes the digest (sources, manifests, the lock file) and what does
/// not (tests, documents).
#[test]
fn another_source_is_another_build() {
    let root = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = root.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("Cargo.toml", "[workspace]\n");
    write("Cargo.lock", "version = 4\n");
    write("README.md", "a\n");
    write("crates/cluster/Cargo.toml", "[package]\n");
    write("crates/cluster/src/lib.rs", "//! a\n");
    write("crates/other/Cargo.toml", "[package]\n");
    write("crates/other/src/lib.rs", "pub fn f() -> u8 { 1 }\n");
    write("crates/other/tests/it/main.rs", "#[test] fn t() {}\n");
    let manifest = root.path().join("crates/cluster");
    let digest = || source_digest(&manifest).unwrap().1;
    let first = digest();
    assert_eq!(digest(), first, "the same sources, another digest");

    write("crates/other/tests/it/main.rs", "#[test] fn u() {}\n");
    write("README.md", "b\n");
    assert_eq!(digest(), first, "a test or document changed the build");

    let mut seen = vec![first];
    for (path, text) in [
        ("crates/other/src/lib.rs", "pub fn f() -> u8 { 2 }\n"),
        ("crates/other/src/extra.rs", "\n"),
        ("crates/other/Cargo.toml", "[package]\nname = \"o\"\n"),
        ("Cargo.lock", "version = 4\n[[package]]\n"),
    ] {
        write(path, text);
        let now = digest();
        assert!(!seen.contains(&now), "{path} changed and the digest did not");
        seen.push(now);
    }
}
