//! Embeds this build's identity, `TORHUNT_BUILD`: the crate version and a digest of the workspace's
//! sources (every crate's `src` and manifest, `Cargo.lock`). Two builds of the same version from
//! different code get different identities, so a cluster refuses to mix them (`src/identity.rs`); the
//! same checkout built twice, in debug or release, gets the same one.

use std::error::Error;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn main() -> Result<(), Box<dyn Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let (inputs, digest) = source_digest(&manifest)?;
    for input in &inputs {
        println!("cargo:rerun-if-changed={}", input.display());
    }
    let version = std::env::var("CARGO_PKG_VERSION")?;
    println!("cargo:rustc-env=TORHUNT_BUILD={version} (build {digest})");
    Ok(())
}

/// What the identity of the crate at `manifest` is made of (files and folders) and their digest, 12 hex
/// digits of SHA-256 over each file's path (relative to the workspace) and bytes, in path order.
pub fn source_digest(manifest: &Path) -> Result<(Vec<PathBuf>, String), Box<dyn Error>> {
    let workspace = manifest.join("../..");
    // A packaged copy of this crate has no workspace around it: its own sources are all there is.
    let (root, inputs) = if workspace.join("Cargo.lock").is_file() && workspace.join("crates").is_dir() {
        let inputs = workspace_inputs(&workspace)?;
        (workspace, inputs)
    } else {
        (
            manifest.to_path_buf(),
            vec![manifest.join("Cargo.toml"), manifest.join("src")],
        )
    };
    let mut files = Vec::new();
    for input in &inputs {
        collect_files(input, &mut files)?;
    }
    files.sort();
    let mut hasher = Sha256::new();
    for file in &files {
        let name = file.strip_prefix(&root).unwrap_or(file);
        let bytes = std::fs::read(file)?;
        hasher.update(name.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    let digest = hasher.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((inputs, digest))
}

/// The workspace's manifest and lock file, and each crate's manifest and sources.
fn workspace_inputs(root: &Path) -> Result<Vec<PathBuf>, Box<dyn Error>> {
    let mut inputs = vec![root.join("Cargo.toml"), root.join("Cargo.lock")];
    for entry in std::fs::read_dir(root.join("crates"))? {
        let dir = entry?.path();
        if dir.join("Cargo.toml").is_file() {
            inputs.push(dir.join("Cargo.toml"));
            inputs.push(dir.join("src"));
        }
    }
    Ok(inputs)
}

fn collect_files(path: &Path, files: &mut Vec<PathBuf>) -> Result<(), Box<dyn Error>> {
    if path.is_dir() {
        for entry in std::fs::read_dir(path)? {
            collect_files(&entry?.path(), files)?;
        }
    } else if path.is_file() {
        files.push(path.to_path_buf());
    }
    Ok(())
}
